package io.modelcache.sim.scenario;

import java.nio.file.Path;
import java.util.List;

/**
 * A simulator scenario, read from a HOCON file by {@link ScenarioParser}: what to start, what to measure, what to
 * break, and what must hold. See {@code config/sim/*.conf} and the README's "Simulator" section.
 *
 * @param name the scenario's name ({@code name}, else the file's name without {@code .conf}); letters, digits,
 *     {@code .}, {@code _} and {@code -}, as it names the results folder
 * @param description one line from the file, may be empty
 * @param source the file it was read from
 * @param cases its cases, in file order, at least one
 */
public record Scenario(String name, String description, Path source, List<ScenarioCase> cases) {
}
