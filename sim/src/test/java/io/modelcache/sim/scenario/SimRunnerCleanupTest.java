package io.modelcache.sim.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run that fails, or is interrupted, while its node and client JVMs run leaves none of them running. Checked with
 * {@link ProcessHandle}: the test JVM's descendants, which are exactly the processes the runner started.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SimRunnerCleanupTest {
    private static final String ONE_NODE = "model = all-minilm-l6-v2-q\nnodes.heap = 256 MiB\n"
        + "sweep.nodes = 1\nwarm-up = false\nloads = 1\n";

    @Test
    void aRunWhoseClientCannotStartStopsItsNodesAndReportsWhy() throws Exception {
        Scenario scenario = ScenarioParser.parseString("client-fails.conf",
            ONE_NODE + "clients.jvm-options = [\"-XX:+NoSuchVmOption\"]");

        SimResult result = SimRunner.run(scenario, Path.of("target", "sim-client-fails").toAbsolutePath(), quiet());

        CheckResult ran = result.checks().getFirst();
        assertFalse(result.isPassed());
        assertEquals("ran", ran.check());
        assertFalse(ran.isPassed());
        assertTrue(ran.detail().contains("client-1 exited before joining the cluster")
            && ran.detail().contains("NoSuchVmOption"), ran.detail());
        assertEquals(List.of(), liveDescendants());
        assertTrue(result.checks().getLast().isPassed(), result.checks().getLast().toString());
    }

    @Test
    void anInterruptedRunStopsEveryProcessItStartedBeforeItLeaves() throws Exception {
        Scenario scenario = ScenarioParser.parseString("interrupted.conf", ONE_NODE);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread run = new Thread(() -> {
            try {
                SimRunner.run(scenario, Path.of("target", "sim-interrupted").toAbsolutePath(), quiet());
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "interrupted-run");

        run.start();
        awaitChildJvm();
        run.interrupt();
        run.join(TimeUnit.SECONDS.toMillis(60));

        assertFalse(run.isAlive(), "the run did not end within 60 s of the interrupt");
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertEquals(List.of(), liveDescendants());
    }

    private static void awaitChildJvm() throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (liveDescendants().isEmpty()) {
            assertTrue(System.nanoTime() < deadlineNs, "the run started no process within 60 s");
            Thread.sleep(20);
        }
    }

    private static List<String> liveDescendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
            .map(process -> process.pid() + " " + process.info().commandLine().orElse("?")).toList();
    }

    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }
}
