package io.modelcache.sim.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * A process the bench started: a server, a cluster member, a package install. Its standard output and error go
 * to one log file; its standard input stays open as a pipe, so Java children that watch it (see
 * {@link io.modelcache.sim.ParentWatch}) exit when the bench's JVM goes away, however it goes.
 *
 * @param name what the process is, for messages ("redis", "hazelcast-2")
 * @param process the process
 * @param logFile where its output goes
 */
public record ChildProcess(String name, Process process, Path logFile) {
    private static final long POLL_INTERVAL_MS = 50;
    private static final int CONNECT_TIMEOUT_MS = 200;

    /** @return whether the process is still running */
    public boolean isAlive() {
        return process.isAlive();
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
}
