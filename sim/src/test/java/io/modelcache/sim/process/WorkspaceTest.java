package io.modelcache.sim.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A workspace leaves no child running and no temporary file, whatever state the children or the caller are in. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkspaceTest {

    @Test
    void closeStopsEveryChildAndDeletesTheTemporaryDirectory(@TempDir Path logs) throws Exception {
        Workspace workspace = Workspace.create(logs);
        ChildProcess first = workspace.start("sleep-1", List.of("sleep", "600"), Map.of());
        ChildProcess second = workspace.start("sleep-2", List.of("sleep", "600"), Map.of());
        Path directory = workspace.directory();

        workspace.close();

        assertFalse(first.isAlive() || second.isAlive(), "children still running: " + workspace.survivors());
        assertEquals(List.of(), workspace.survivors());
        assertFalse(Files.exists(directory), directory + " still exists");
    }

    @Test
    void aSuspendedChildIsResumedAndStoppedWithoutWaitingForItsGracePeriod(@TempDir Path logs) throws Exception {
        Workspace workspace = Workspace.create(logs);
        ChildProcess child = workspace.start("stopped", List.of("sleep", "600"), Map.of());
        child.suspend();
        assertEquals("T", processState(child.pid()), "SIGSTOP leaves the process stopped");

        long startNs = System.nanoTime();
        workspace.close();
        double seconds = (System.nanoTime() - startNs) / 1e9;

        assertFalse(child.isAlive());
        assertTrue(seconds < 5, "a stopped child held SIGTERM until the 10 s grace period ended: " + seconds + " s");
    }

    @Test
    void anInterruptedCloserStillWaitsForEveryChildAndKeepsTheInterrupt(@TempDir Path logs) throws Exception {
        Workspace workspace = Workspace.create(logs);
        ChildProcess first = workspace.start("sleep-1", List.of("sleep", "600"), Map.of());
        ChildProcess second = workspace.start("sleep-2", List.of("sleep", "600"), Map.of());

        Thread.currentThread().interrupt();
        workspace.close();
        boolean wasInterrupted = Thread.interrupted();

        assertTrue(wasInterrupted, "the caller's interrupt was lost");
        assertFalse(first.isAlive() || second.isAlive(), "children survived an interrupted close");
    }

    @Test
    void aPipedChildsOutputIsReadableAndItsErrorsAreLogged(@TempDir Path logs) throws Exception {
        try (Workspace workspace = Workspace.create(logs)) {
            ChildProcess child = workspace.startPiped("echo", List.of("sh", "-c", "echo out; echo err >&2"));

            String output = new String(child.process().getInputStream().readAllBytes());
            assertTrue(child.process().waitFor(10, TimeUnit.SECONDS));

            assertEquals("out\n", output);
            assertEquals("err\n", Files.readString(child.logFile()));
        }
    }

    private static String processState(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    }
}
