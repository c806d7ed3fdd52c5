package io.modelcache.sim.bench;

import io.modelcache.node.Failures;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one task per client on its own thread, all released at once, and times them together: from the release
 * to the end of the last one. Thread start-up and connection set-up happen before the release, untimed.
 */
final class ConcurrentClients {
    /** Below this rate a run is taken to hang: 20 MB/s, 100 times slower than any system measured here. */
    private static final long SLOWEST_BYTES_PER_SECOND = 20_000_000;
    private static final long FIXED_TIMEOUT_MS = 60_000;

    private ConcurrentClients() {
    }

    /** @return how long reading {@code totalBytes} may take before a run counts as hung, in ms */
    static long timeoutMs(long totalBytes) {
        return FIXED_TIMEOUT_MS + totalBytes / (SLOWEST_BYTES_PER_SECOND / 1000);
    }

    /**
     * Runs the tasks concurrently.
     *
     * @param system the system's name, for messages
     * @param tasks one per client; each reads {@code bytesPerClient} bytes
     * @return the aggregate throughput in MB/s (10^6 bytes per second)
     * @throws TimeoutException when the tasks do not finish within {@link #timeoutMs}; they are interrupted
     * @throws IllegalStateException when a task fails, with its one-line reason
     */
    static double megabytesPerSecond(String system, List<? extends Callable<?>> tasks, long bytesPerClient)
        throws TimeoutException, InterruptedException {
        int clients = tasks.size();
        long totalBytes = clients * bytesPerClient;
        long timeoutMs = timeoutMs(totalBytes);
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(clients,
            Thread.ofPlatform().name("bench-" + system + "-client-", 0).daemon().factory());
        try {
            List<Future<Long>> endsNs = new ArrayList<>();
            for (Callable<?> task : tasks) {
                endsNs.add(executor.submit(() -> {
                    ready.countDown();
                    release.await();
                    task.call();
                    return System.nanoTime();
                }));
            }
            if (!ready.await(timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new TimeoutException(system + ": " + clients + " client threads did not start within "
                    + timeoutMs + " ms");
            }
            long startNs = System.nanoTime();
            release.countDown();
            long lastEndNs = awaitAll(system, endsNs, startNs + timeoutMs * 1_000_000, totalBytes, timeoutMs);
            return totalBytes / ((lastEndNs - startNs) / 1e9) / 1e6;
        } finally {
            executor.shutdownNow();
        }
    }

    private static long awaitAll(String system, List<Future<Long>> endsNs, long deadlineNs, long totalBytes,
                                 long timeoutMs) throws TimeoutException, InterruptedException {
        long lastEndNs = 0;
        for (Future<Long> endNs : endsNs) {
            try {
                lastEndNs = Math.max(lastEndNs, endNs.get(Math.max(0, deadlineNs - System.nanoTime()),
                    TimeUnit.NANOSECONDS));
            } catch (ExecutionException e) {
                throw new IllegalStateException(system + ": a client failed: " + Failures.describe(e), e.getCause());
            } catch (TimeoutException e) {
                throw new TimeoutException(system + ": " + endsNs.size() + " clients did not read " + totalBytes
                    + " bytes within " + timeoutMs + " ms");
            }
        }
        return lastEndNs;
    }
}
