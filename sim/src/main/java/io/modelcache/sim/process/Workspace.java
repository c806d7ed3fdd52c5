package io.modelcache.sim.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Owns everything a bench or simulator run leaves on the machine: the processes it starts and a temporary
 * directory.
 *
 * <p>{@link #close()} stops every process still running (SIGCONT to a suspended one, SIGTERM, then SIGKILL after a
 * grace period) and deletes the directory, also when the closing thread is interrupted: the interrupt is kept for
 * the caller, but only after every process has exited. A shutdown hook does the same when the JVM ends before
 * {@code close} (Ctrl-C, SIGTERM, an uncaught error); the hook is removed by a normal {@code close}. Processes
 * killed with SIGKILL together with their parent cannot be reached by the hook: Java children exit when their
 * standard input closes, but servers such as redis-server and the temporary directory stay.
 */
public final class Workspace implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Workspace.class);
    private static final long FORCED_STOP_TIMEOUT_MS = 5_000;

    private final Path directory;
    private final Path logDirectory;
    private final List<ChildProcess> children = new ArrayList<>();
    private final List<ChildProcess> everStarted = new ArrayList<>();
    private final Thread shutdownHook;
    private boolean isClosed;

    private Workspace(Path directory, Path logDirectory) {
        this.directory = directory;
        this.logDirectory = logDirectory;
        this.shutdownHook = new Thread(this::closeQuietly, "workspace-cleanup");
    }

    /**
     * Creates a temporary directory and registers the shutdown hook.
     *
     * @param logDirectory where the logs of started processes go; created if missing, kept after close
     */
    public static Workspace create(Path logDirectory) throws IOException {
        Files.createDirectories(logDirectory);
        Workspace workspace = new Workspace(Files.createTempDirectory("modelcache-"), logDirectory);
        Runtime.getRuntime().addShutdownHook(workspace.shutdownHook);
        return workspace;
    }

    /** @return the temporary directory, deleted by {@link #close()} */
    public Path directory() {
        return directory;
    }

    /**
     * Starts a process in the temporary directory, its output going to {@code <log directory>/<name>.log}.
     *
     * @param name what the process is, unique in this workspace
     * @param command the program and its arguments
     * @param environment variables to add to this JVM's environment
     * @throws IOException when the program cannot be started
     * @throws IllegalStateException when the workspace is closed
     */
    public ChildProcess start(String name, List<String> command, Map<String, String> environment)
        throws IOException {
        Path logFile = logDirectory.resolve(name + ".log");
        return start(name, command, environment, logFile, ProcessBuilder.Redirect.to(logFile.toFile()), true);
    }

    /**
     * Starts a process whose standard output the caller reads ({@code process().getInputStream()}); its standard
     * error goes to {@code <log directory>/<name>.log}, which the caller may append to.
     *
     * @param name what the process is, unique in this workspace
     * @param command the program and its arguments
     * @throws IOException when the program cannot be started
     * @throws IllegalStateException when the workspace is closed
     */
    public ChildProcess startPiped(String name, List<String> command) throws IOException {
        Path logFile = logDirectory.resolve(name + ".log");
        Files.deleteIfExists(logFile);
        Files.createFile(logFile);
        return start(name, command, Map.of(), logFile, ProcessBuilder.Redirect.appendTo(logFile.toFile()), false);
    }

    private synchronized ChildProcess start(String name, List<String> command, Map<String, String> environment,
                                            Path logFile, ProcessBuilder.Redirect logRedirect, boolean isOutputLogged)
        throws IOException {
        if (isClosed) {
            throw new IllegalStateException("workspace " + directory + " is closed; not starting " + name);
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        if (isOutputLogged) {
            builder.redirectErrorStream(true).redirectOutput(logRedirect);
        } else {
            builder.redirectError(logRedirect);
        }
        builder.environment().putAll(environment);
        ChildProcess child = new ChildProcess(name, builder.start(), logFile);
        children.add(child);
        everStarted.add(child);
        LOG.debug("Process started [name={}, pid={}, command={}]", name, child.pid(), command);
        return child;
    }

    /** @return every process this workspace started that is still running, stopped or not */
    public synchronized List<ChildProcess> survivors() {
        return everStarted.stream().filter(ChildProcess::isAlive).toList();
    }

    /** @return every process this workspace started, in order, running or not */
    public synchronized List<ChildProcess> started() {
        return List.copyOf(everStarted);
    }

    /**
     * Stops processes together: SIGCONT to a suspended one, SIGTERM to each, then waits up to {@code timeoutMs} for
     * all, then SIGKILL. Returns when each has exited or survived SIGKILL for 5 s, even when the calling thread is
     * interrupted (Ctrl-C, a test's timeout): the interrupt is kept for the caller, after the waiting.
     */
    public void stop(List<ChildProcess> processes, long timeoutMs) {
        boolean wasInterrupted = Thread.interrupted();
        try {
            for (ChildProcess child : processes) {
                resume(child);
                closeInput(child);
                child.process().destroy();
            }
            long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000;
            for (ChildProcess child : processes) {
                awaitExit(child, Math.max(0, deadlineNs - System.nanoTime()));
            }
        } finally {
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            children.removeAll(processes.stream().filter(child -> !child.isAlive()).toList());
        }
    }

    /** Stops one process: SIGTERM, up to {@code timeoutMs}, then SIGKILL. */
    public void stop(ChildProcess child, long timeoutMs) {
        stop(List.of(child), timeoutMs);
    }

    private static void awaitExit(ChildProcess child, long timeoutNs) {
        Process process = child.process();
        try {
            if (process.waitFor(timeoutNs, TimeUnit.NANOSECONDS)) {
                return;
            }
            LOG.warn("Process did not stop in time, killing it [name={}, pid={}]", child.name(), process.pid());
            process.destroyForcibly();
            if (!process.waitFor(FORCED_STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                LOG.error("Process survived SIGKILL [name={}, pid={}]", child.name(), process.pid());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void resume(ChildProcess child) {
        try {
            child.resume();
        } catch (IOException e) {
            // SIGKILL after the grace period still ends it.
            LOG.warn("Could not resume a suspended process [name={}, pid={}, error={}]", child.name(), child.pid(),
                e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeInput(ChildProcess child) {
        try {
            child.process().getOutputStream().close();
        } catch (IOException ignored) {
            // The pipe is already gone: the process is exiting anyway.
        }
    }

    /** Stops every process still running and deletes the temporary directory; later calls do nothing. */
    @Override
    public void close() {
        closeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself, or while the JVM exits: nothing to remove.
        }
    }

    private void closeQuietly() {
        List<ChildProcess> running;
        synchronized (this) {
            if (isClosed) {
                return;
            }
            isClosed = true;
            running = List.copyOf(children);
        }
        stop(running, 10_000);
        deleteDirectory();
    }

    private void deleteDirectory() {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete the workspace's temporary directory [path={}, error={}]", directory,
                e.toString());
        }
    }
}
