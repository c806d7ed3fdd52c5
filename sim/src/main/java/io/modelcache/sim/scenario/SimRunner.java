package io.modelcache.sim.scenario;

import io.modelcache.sim.process.ChildProcess;
import io.modelcache.sim.process.ProcessMeter;
import io.modelcache.sim.process.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs a scenario: each case in turn ({@link CaseRun}), every process in one {@link Workspace} that stops them all
 * and deletes the run's temporary files when the run ends, fails or is interrupted (and on Ctrl-C, through its
 * shutdown hook); then checks that no process and no shared-memory file of theirs is left, and writes the results
 * folder ({@link SimReport}).
 *
 * <p>What {@code modelcache sim} runs, and what the tests run in-process: the node and client JVMs are real
 * processes either way.
 */
public final class SimRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SimRunner.class);
    private static final Duration SAMPLING_INTERVAL = Duration.ofMillis(200);

    private SimRunner() {
    }

    /**
     * Runs every case of the scenario and writes {@code results.csv}, {@code summary.md}, the plots and
     * {@code logs/} into {@code outDirectory}.
     *
     * @param out where progress and the summary are printed
     * @return what was measured and checked; {@link SimResult#isPassed()} says whether every check held
     * @throws IOException when the results folder cannot be written
     * @throws InterruptedException if interrupted; every process started is stopped before this leaves
     */
    public static SimResult run(Scenario scenario, Path outDirectory, PrintStream out)
        throws IOException, InterruptedException {
        Files.createDirectories(outDirectory);
        out.printf(Locale.ROOT, "sim: scenario %s (%s): %d case%s, results in %s%n", scenario.name(),
            scenario.source(), scenario.cases().size(), scenario.cases().size() == 1 ? "" : "s", outDirectory);
        long startNs = System.nanoTime();
        List<Measurement> measurements = new ArrayList<>();
        List<FaultRecord> faults = new ArrayList<>();
        List<CheckResult> checks = new ArrayList<>();
        List<ChildProcess> started;
        try (Workspace workspace = Workspace.create(outDirectory.resolve("logs"));
             ProcessMeter meter = new ProcessMeter(SAMPLING_INTERVAL)) {
            ModelFiles modelFiles = new ModelFiles(workspace.directory());
            for (ScenarioCase scenarioCase : scenario.cases()) {
                CaseRun run = new CaseRun(scenarioCase, workspace, meter, modelFiles, out);
                run.run();
                measurements.addAll(run.measurements());
                faults.addAll(run.faults());
                checks.addAll(run.checks());
            }
            started = workspace.started();
        }
        if (scenario.cases().stream().anyMatch(scenarioCase -> scenarioCase.checks().noProcessLeft())) {
            checks.add(noProcessLeft(started));
        }

        Set<String> faultCases = scenario.cases().stream().filter(ScenarioCase::hasFaults)
            .map(ScenarioCase::name).collect(Collectors.toSet());
        SimResult provisional = new SimResult(scenario, outDirectory, measurements, faults, checks, List.of());
        SimReport.Written written = SimReport.write(provisional, faultCases);
        SimResult result = new SimResult(scenario, outDirectory, measurements, faults, checks, written.files());
        out.println();
        out.print(written.summary());
        out.printf(Locale.ROOT, "sim: scenario %s %s in %.0f s; results in %s%n", scenario.name(),
            result.isPassed() ? "passed" : "FAILED " + result.failedChecks().size() + " check(s)",
            (System.nanoTime() - startNs) / 1e9, outDirectory);
        LOG.info("Scenario finished [scenario={}, passed={}, measurements={}, seconds={}]", scenario.name(),
            result.isPassed(), measurements.size(), String.format(Locale.ROOT, "%.0f",
                (System.nanoTime() - startNs) / 1e9));
        return result;
    }

    /** After the workspace closed: no process it started runs, and none left shared memory behind. */
    private static CheckResult noProcessLeft(List<ChildProcess> started) {
        List<String> running = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (ChildProcess process : started) {
            if (process.isAlive()) {
                running.add(process.toString());
            }
            for (Path leftover : SimCluster.sharedMemoryOf(process.pid())) {
                files.add(leftover.toString());
            }
        }
        boolean isPassed = running.isEmpty() && files.isEmpty();
        return new CheckResult("*", "no-process-left", isPassed, isPassed
            ? "all " + started.size() + " processes started have exited; no shared-memory file of theirs is left"
            : "still running: " + running + "; left in shared memory: " + files);
    }
}
