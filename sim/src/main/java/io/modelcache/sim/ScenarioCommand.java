package io.modelcache.sim;

import io.modelcache.sim.scenario.CheckResult;
import io.modelcache.sim.scenario.Scenario;
import io.modelcache.sim.scenario.ScenarioParser;
import io.modelcache.sim.scenario.SimResult;
import io.modelcache.sim.scenario.SimRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/**
 * {@code modelcache sim SCENARIO}: runs a scenario file (see {@code config/sim/}) with real node and client JVMs on
 * 127.0.0.1 and writes its results folder. Exits with 0 when every check of the scenario held, 1 when one failed or
 * the scenario is invalid (one line naming the key, the value and the limit).
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
    description = {"Run a simulator scenario: data node JVMs (modelcache node) and client JVMs on 127.0.0.1, a sweep "
        + "of strategies, P, nodes, replicas and chunk sizes, faults (kill -9, SIGSTOP, leave, join) and checks.",
        "Writes results.csv, summary.md, PNG plots and every process's log into the results folder; exits 1 when a "
            + "check fails."})
final class ScenarioCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "A scenario file, for example "
        + "config/sim/smoke.conf.")
    Path scenarioFile;

    @Option(names = "--out", paramLabel = "DIR",
        description = "The results folder (default: sim-results/SCENARIO-TIME under the working directory).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Scenario scenario = ScenarioParser.parse(scenarioFile);
        Path outDirectory = out != null ? out : Path.of("sim-results", scenario.name() + "-"
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        SimResult result = SimRunner.run(scenario, outDirectory.toAbsolutePath(), System.out);
        if (result.isPassed()) {
            return 0;
        }
        for (CheckResult check : result.failedChecks()) {
            System.err.println("modelcache: check failed: " + check.caseName() + ": " + check.check() + ": "
                + check.detail());
        }
        return 1;
    }
}
