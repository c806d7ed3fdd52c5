package io.modelcache.sim;

import io.modelcache.sim.bench.Bench;
import io.modelcache.sim.bench.BenchResult;
import io.modelcache.sim.bench.BenchSettings;
import io.modelcache.sim.bench.Sizes;
import io.modelcache.sim.bench.Systems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code modelcache bench}: the same bytes in the page cache, a raw TCP stream, Redis, memcached, Hazelcast and
 * modelcache, read back by 1 and N concurrent clients; a table, a CSV and a chart.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measure read throughput of the same bytes in the page cache, a raw TCP stream, Redis, "
        + "memcached, Hazelcast and modelcache, side by side.",
        "Every server runs on 127.0.0.1 as a process the bench starts and stops."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "1GiB",
        description = "Total bytes stored in each system and read by each client (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--value-size", paramLabel = "SIZE", defaultValue = "1MiB",
        description = "Bytes per value, at most 512MiB (default: ${DEFAULT-VALUE}).")
    String valueSize;

    @Option(names = "--warm-ups", paramLabel = "N", defaultValue = "3",
        description = "Unmeasured runs per system and client count, the first checked byte for byte "
            + "(default: ${DEFAULT-VALUE}).")
    int warmUps;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
        description = "Measured runs after the warm-ups; the median is reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--clients", paramLabel = "LIST", split = ",", defaultValue = "1,4",
        description = "Concurrent client counts to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> clients;

    @Option(names = "--systems", paramLabel = "LIST", split = ",",
        description = "Systems to measure, of: page-cache, raw-tcp, redis, memcached, hazelcast, modelcache, "
            + "modelcache-aeron, modelcache-ipc (default: all).")
    List<String> systems;

    @Option(names = "--out", paramLabel = "DIR",
        description = "Where bench.csv, bench.png and the processes' logs go (default: sim-results/bench-TIME).")
    Path out;

    @Option(names = "--parallelism", paramLabel = "P", defaultValue = "8",
        description = "modelcache's load parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--random-seed", paramLabel = "N", defaultValue = "42",
        description = "Seed of the pseudo-random bytes (default: ${DEFAULT-VALUE}).")
    long randomSeed;

    @Option(names = "--no-install",
        description = "Do not apt-get install a missing redis-server or memcached; report it unavailable.")
    boolean noInstall;

    @Override
    public Integer call() throws Exception {
        long valueSizeBytes = Sizes.parse("--value-size", valueSize);
        if (valueSizeBytes > BenchSettings.MAX_VALUE_SIZE_BYTES) {
            throw new IllegalArgumentException("--value-size " + valueSize + " (" + valueSizeBytes + " bytes) exceeds "
                + "the limit of 512MiB (" + BenchSettings.MAX_VALUE_SIZE_BYTES + " bytes)");
        }
        Path outDirectory = out != null ? out : Path.of("sim-results",
            "bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        BenchSettings settings = new BenchSettings(Sizes.parse("--size", size), (int) valueSizeBytes, warmUps, runs,
            clients,
            systems != null ? systems : Systems.NAMES, outDirectory.toAbsolutePath(), randomSeed, parallelism,
            !noInstall);
        BenchResult result = Bench.run(settings, System.out);
        if (!result.failed().isEmpty()) {
            throw new IllegalStateException("bench finished, but " + String.join(", ", result.failed().keySet())
                + " failed (see above and the logs in " + settings.outDirectory().resolve("logs") + ")");
        }
        return 0;
    }
}
