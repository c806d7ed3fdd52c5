package io.modelcache.sim.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code config/sim/smoke.conf} through the code path of {@code modelcache sim}: three real node JVMs and a client
 * JVM, serial and bounded loads, a kill -9 of a node during a load of a model stored twice. Every check of the
 * scenario must hold, the results folder must hold its files, and no process may be left.
 */
class SmokeScenarioTest {

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void smokeScenarioPassesEveryCheckAndLeavesNoProcess() throws Exception {
        Scenario scenario = ScenarioParser.parse(Path.of("..", "config", "sim", "smoke.conf"));
        Path out = Path.of("target", "sim-smoke").toAbsolutePath();

        SimResult result = SimRunner.run(scenario, out, System.out);

        assertEquals(List.of(), result.failedChecks(), "checks that failed");
        assertTrue(result.measurements().stream().filter(Measurement::isLoad).count() >= 8,
            "load rounds measured: " + result.measurements());
        assertTrue(result.faults().stream().allMatch(FaultRecord::isApplied), "faults: " + result.faults());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(result.measurements().size() + 1, csv.size(), "one CSV row per measurement");
        assertTrue(csv.getFirst().contains("node-3_cpu_s") && csv.getFirst().contains("client-1_peak_mib"),
            csv.getFirst());
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| kill-during-load |"));
        assertTrue(result.files().stream().anyMatch(file -> file.endsWith(".png")), "plots: " + result.files());
        List<String> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
            .map(process -> process.pid() + " " + process.info().commandLine().orElse("?")).toList();
        assertEquals(List.of(), left, "processes still running after the scenario");
    }
}
