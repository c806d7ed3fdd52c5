package io.modelcache.sim.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A process the bench or the simulator started: a server, a cluster member, a package install. Its output goes to
 * one log file (for a process started with {@link Workspace#startPiped}, only its standard error: its standard
 * output is a pipe the caller reads); its standard input stays open as a pipe, so Java children that watch it (see
 * {@link io.modelcache.sim.ParentWatch}) exit when the starting JVM goes away, however it goes.
 *
 * <p>A process can be suspended with SIGSTOP and resumed with SIGCONT; {@link Workspace} resumes a suspended
 * process before it stops it, since a stopped process holds SIGTERM until it runs again.
 */
public final class ChildProcess {
    private static final long POLL_INTERVAL_MS = 50;
    private static final int CONNECT_TIMEOUT_MS = 200;
    private static final long SIGNAL_TIMEOUT_MS = 5_000;

    private final String name;
    private final Process process;
    private final Path logFile;
    private volatile boolean isSuspended;

    /**
     * @param name what the process is, for messages ("redis", "hazelcast-2")
     * @param process the process
     * @param logFile where its output goes
     */
    public ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** @return what the process is, for messages */
    public String name() {
        return name;
    }

    /** @return the process */
    public Process process() {
        return process;
    }

    /** @return where its output goes */
    public Path logFile() {
        return logFile;
    }

    /** @return the process id */
    public long pid() {
        return process.pid();
    }

    /** @return whether the process is still running */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return whether the process was suspended with {@link #suspend()} and not resumed since */
    public boolean isSuspended() {
        return isSuspended;
    }

    /**
     * Sends SIGSTOP: the process stops running (its sockets stay open, the kernel still accepts connections) until
     * {@link #resume()}.
     *
     * @throws IOException when {@code kill} cannot be run or fails, with its exit code
     * @throws InterruptedException if interrupted while {@code kill} runs
     */
    public void suspend() throws IOException, InterruptedException {
        signal("STOP");
        isSuspended = true;
    }

    /**
     * Sends SIGCONT to a suspended process; does nothing to one that is not suspended or has exited.
     *
     * @throws IOException when {@code kill} cannot be run or fails, with its exit code
     * @throws InterruptedException if interrupted while {@code kill} runs
     */
    public void resume() throws IOException, InterruptedException {
        if (!isSuspended || !process.isAlive()) {
            isSuspended = false;
            return;
        }
        signal("CONT");
        isSuspended = false;
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!kill.waitFor(SIGNAL_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            kill.destroyForcibly();
            throw new IOException("kill -" + signal + " " + process.pid() + " did not finish within "
                + SIGNAL_TIMEOUT_MS + " ms");
        }
        if (kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " (" + name + ") exited with code "
                + kill.exitValue());
        }
    }

    /**
     * Waits until something listens on {@code 127.0.0.1:port}.
     *
     * @throws IllegalStateException when the process exits first, with the end of its log
     * @throws TimeoutException naming the port and the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitListening(int port, long timeoutMs) throws TimeoutException, InterruptedException {
        long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000;
        while (true) {
            checkAlive("listening on 127.0.0.1:" + port);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
                return;
            } catch (IOException notYet) {
                // Not listening yet: try again until the deadline.
            }
            if (System.nanoTime() > deadlineNs) {
                throw new TimeoutException(name + " did not listen on 127.0.0.1:" + port + " within " + timeoutMs
                    + " ms; " + logSummary());
            }
            Thread.sleep(POLL_INTERVAL_MS);
        }
    }

    /**
     * Waits until the process's log holds a line containing {@code text}.
     *
     * @throws IllegalStateException when the process exits first, with the end of its log
     * @throws TimeoutException naming the text and the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitLogLine(String text, long timeoutMs) throws TimeoutException, InterruptedException {
        long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000;
        while (!readLog().contains(text)) {
            checkAlive("printing '" + text + "'");
            if (System.nanoTime() > deadlineNs) {
                throw new TimeoutException(name + " did not print '" + text + "' within " + timeoutMs + " ms; "
                    + logSummary());
            }
            Thread.sleep(POLL_INTERVAL_MS);
        }
    }

    /**
     * @throws IllegalStateException when the process has exited, naming its exit code and what it was doing
     */
    public void checkAlive(String waitingFor) {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with code " + process.exitValue() + " before "
                + waitingFor + "; " + logSummary());
        }
    }

    /** @return the last lines of the log, on one line, with the log's path */
    public String logSummary() {
        List<String> lines = readLog().lines().filter(line -> !line.isBlank()).toList();
        List<String> tail = lines.subList(Math.max(0, lines.size() - 5), lines.size());
        return tail.isEmpty() ? "its log " + logFile + " is empty"
            : "last lines of " + logFile + ": " + String.join(" | ", tail);
    }

    private String readLog() {
        try {
            return Files.readString(logFile, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
