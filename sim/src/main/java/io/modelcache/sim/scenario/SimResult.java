package io.modelcache.sim.scenario;

import java.nio.file.Path;
import java.util.List;

/**
 * What a scenario run measured and found, and where it wrote it.
 *
 * @param scenario the scenario run
 * @param outDirectory the results folder
 * @param measurements every put and load round, in run order
 * @param faults every fault, in run order
 * @param checks every check, per case and for the whole run
 * @param files the files written into the results folder (CSV, summary, plots), by name
 */
public record SimResult(Scenario scenario, Path outDirectory, List<Measurement> measurements,
                        List<FaultRecord> faults, List<CheckResult> checks, List<String> files) {

    /** @return whether every check held */
    public boolean isPassed() {
        return checks.stream().allMatch(CheckResult::isPassed);
    }

    /** @return the checks that did not hold */
    public List<CheckResult> failedChecks() {
        return checks.stream().filter(check -> !check.isPassed()).toList();
    }
}
