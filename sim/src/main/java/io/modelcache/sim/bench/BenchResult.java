package io.modelcache.sim.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a bench run produced.
 *
 * @param rows one per measured system and client count, in the order measured
 * @param unavailable why each system that could not run here did not, by system
 * @param failed why each system that broke while measured did, by system
 * @param notes what was measured how, as printed under the table
 * @param outDirectory where the CSV, the chart and the logs are
 */
public record BenchResult(List<BenchRow> rows, Map<String, String> unavailable, Map<String, String> failed,
                          List<String> notes, Path outDirectory) {
}
