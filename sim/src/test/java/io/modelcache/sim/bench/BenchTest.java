package io.modelcache.sim.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bench's smallest setting end to end: every system, 64 MiB, one run, one client. It asserts that each system
 * produced a throughput and that no process is left behind, never how fast anything was.
 */
class BenchTest {
    /** The systems that need a program from outside the build; the others must always be measured. */
    private static final Set<String> MAY_BE_UNAVAILABLE = Set.of("redis", "memcached");

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void measuresEveryAvailableSystemAndLeavesNoProcessRunning() throws Exception {
        BenchSettings settings = new BenchSettings(64 << 20, 1 << 20, 1, 1, List.of(1), Systems.NAMES,
            Path.of("target", "bench-test").toAbsolutePath(), 42, 8, false);

        BenchResult result = Bench.run(settings, System.out);

        assertEquals(Map.of(), result.failed(), "systems that failed");
        assertTrue(MAY_BE_UNAVAILABLE.containsAll(result.unavailable().keySet()),
            "only redis and memcached may be unavailable, but these were: " + result.unavailable());
        result.unavailable().forEach((system, reason) ->
            System.out.println("NOTE: " + system + " was skipped, not failed: " + reason));
        for (String system : Systems.NAMES) {
            if (result.unavailable().containsKey(system)) {
                continue;
            }
            double megabytesPerSecond = result.rows().stream()
                .filter(row -> row.system().equals(system) && row.clients() == 1)
                .mapToDouble(BenchRow::megabytesPerSecond).findFirst().orElse(0);
            assertTrue(megabytesPerSecond > 0, system + " produced no throughput: " + result.rows());
        }
        for (String system : List.of("modelcache", "modelcache-aeron", "modelcache-ipc")) {
            // Regression: every variant's nodes once wrote to modelcache-node-N.log, so only the last run's remained.
            assertTrue(Files.exists(settings.outDirectory().resolve("logs").resolve(system + "-node-1.log")),
                "node log of " + system + " in " + settings.outDirectory().resolve("logs"));
        }
        List<String> leftOver = ProcessHandle.current().descendants()
            .map(process -> process.pid() + " " + process.info().commandLine().orElse("?")).toList();
        assertEquals(List.of(), leftOver, "processes still running after the bench");
    }
}
