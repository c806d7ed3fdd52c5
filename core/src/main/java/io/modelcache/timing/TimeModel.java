package io.modelcache.timing;

import io.modelcache.node.TransferStrategy;

import java.util.List;

/**
 * Predicts how long a put or a load takes from the work's shape and five constants fitted to measurements.
 *
 * <p>A transfer moves {@code bytes} over {@code nodes} data nodes in {@code requests} requests (a put: one per
 * chunk; a load: one per batch of chunks), keeping {@code k = strategy.inFlight(P, requests)} of them in flight.
 * One request costs a fixed latency {@code L} (round trip, scheduling, bookkeeping) plus its {@code b} bytes at
 * one stream's bandwidth {@code S}: {@code t = L + b / S}. With {@code k} in flight the bytes move at
 * {@code k * b / t} per second, but never faster than the nodes can send ({@code nodes * N}) or the one
 * receiver can take ({@code C}); before the first request the transfer spends {@code T0} getting ready
 * (locating partitions, asking for tickets, starting the fetchers):
 *
 * <pre>
 *   seconds = T0 + bytes / min(k * b / t, nodes * N, C)
 * </pre>
 *
 * so a serial transfer takes {@code T0 + requests * t}, and raising P helps until a node or the receiver
 * saturates. It ignores what the measurements show only weakly on loopback: uneven spread of requests over
 * nodes, and the CPU the processes share on one host.
 *
 * @param setupSeconds {@code T0}, the fixed cost of one transfer
 * @param latencySeconds {@code L}, the fixed cost of one request
 * @param streamBytesPerSecond {@code S}, how fast one request's bytes move
 * @param nodeBytesPerSecond {@code N}, how fast one data node sends (or stores)
 * @param sinkBytesPerSecond {@code C}, how fast the one writer or loader takes bytes
 */
public record TimeModel(double setupSeconds, double latencySeconds, double streamBytesPerSecond,
                        double nodeBytesPerSecond, double sinkBytesPerSecond) {

    /**
     * The shape of one transfer.
     *
     * @param strategy how many requests it keeps in flight
     * @param parallelism the bounded strategy's P
     * @param nodes data nodes holding the bytes
     * @param bytes bytes moved
     * @param requests requests it takes, at least 1
     */
    public record Transfer(TransferStrategy strategy, int parallelism, int nodes, long bytes, int requests) {
        /** @return requests in flight at once */
        public int inFlight() {
            return Math.min(requests, strategy.inFlight(parallelism, requests));
        }
    }

    /** A transfer and the seconds it measured. */
    public record Observation(Transfer transfer, double seconds) {
    }

    /**
     * The requests a load of {@code chunks} chunks makes: the loader hands out batches of up to
     * {@code batchChunks}, fewer when fewer than {@code inFlight} full batches are left (see LoadJob). It counts
     * batches over the whole model; the loader fills each batch from one partition, so a model with fewer chunks
     * than {@code batchChunks} per partition takes more requests than this (at least one per partition).
     */
    public static int loadRequests(int chunks, int inFlight, int batchChunks) {
        int requests = 0;
        for (int pending = chunks; pending > 0; requests++) {
            pending -= Math.clamp((pending + inFlight - 1) / inFlight, 1, batchChunks);
        }
        return requests;
    }

    /** @return the predicted seconds of {@code transfer} */
    public double seconds(Transfer transfer) {
        if (transfer.bytes() == 0) {
            return 0;
        }
        double bytesPerRequest = (double) transfer.bytes() / transfer.requests();
        double requestSeconds = latencySeconds + bytesPerRequest / streamBytesPerSecond;
        double rate = Math.min(transfer.inFlight() * bytesPerRequest / requestSeconds,
            Math.min(transfer.nodes() * nodeBytesPerSecond, sinkBytesPerSecond));
        return setupSeconds + transfer.bytes() / rate;
    }

    /**
     * Fits the five constants to measurements: minimizes the squared log of predicted over measured seconds (so
     * a 2x miss weighs the same on a fast and a slow point) by pattern search in log space, from nine starts.
     *
     * @throws IllegalArgumentException if there are no observations or one has no positive seconds
     */
    public static TimeModel fit(List<Observation> observations) {
        if (observations.isEmpty()) {
            throw new IllegalArgumentException("no measurements to fit the time model to");
        }
        for (Observation observation : observations) {
            if (!(observation.seconds() > 0) || observation.transfer().bytes() <= 0) {
                throw new IllegalArgumentException("measurement " + observation + " has no positive seconds and bytes");
            }
        }
        TimeModel best = null;
        double bestError = Double.MAX_VALUE;
        for (double nodeStart : new double[] {1e8, 1e9, 1e10}) { // the caps' min() has flat regions: start apart
            for (double sinkStart : new double[] {1e8, 1e9, 1e10}) {
                double[] logs = {Math.log(1e-3), Math.log(1e-3), Math.log(1e9), Math.log(nodeStart),
                    Math.log(sinkStart)};
                double error = search(logs, observations);
                if (error < bestError) {
                    bestError = error;
                    best = of(logs);
                }
            }
        }
        return best;
    }

    /** Moves {@code logs} downhill one coordinate at a time, halving the step when none helps. */
    private static double search(double[] logs, List<Observation> observations) {
        double error = error(logs, observations);
        for (double step = Math.log(4); step > 1e-4; step /= 2) {
            boolean isImproved = true;
            while (isImproved) {
                isImproved = false;
                for (int i = 0; i < logs.length; i++) {
                    for (double direction : new double[] {step, -step}) {
                        logs[i] += direction;
                        double tried = error(logs, observations);
                        if (tried < error - 1e-12) {
                            error = tried;
                            isImproved = true;
                        } else {
                            logs[i] -= direction;
                        }
                    }
                }
            }
        }
        return error;
    }

    /** @return the root-mean-square of log(predicted / measured) over {@code observations} */
    public double logError(List<Observation> observations) {
        double sum = 0;
        for (Observation observation : observations) {
            double miss = Math.log(seconds(observation.transfer()) / observation.seconds());
            sum += miss * miss;
        }
        return Math.sqrt(sum / observations.size());
    }

    private static double error(double[] logs, List<Observation> observations) {
        return of(logs).logError(observations);
    }

    private static TimeModel of(double[] logs) {
        return new TimeModel(Math.exp(logs[0]), Math.exp(logs[1]), Math.exp(logs[2]), Math.exp(logs[3]),
            Math.exp(logs[4]));
    }

    @Override
    public String toString() {
        return String.format("T0=%.1f ms, L=%.2f ms, S=%.0f MB/s, N=%.0f MB/s per node, C=%.0f MB/s",
            setupSeconds * 1e3, latencySeconds * 1e3, streamBytesPerSecond / 1e6, nodeBytesPerSecond / 1e6,
            sinkBytesPerSecond / 1e6);
    }
}
