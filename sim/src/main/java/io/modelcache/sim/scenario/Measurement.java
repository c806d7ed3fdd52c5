package io.modelcache.sim.scenario;

import io.modelcache.node.TransferStrategy;
import io.modelcache.sim.process.ProcessMeter;

import java.util.Map;

/**
 * One measured put, or one round of loads (every client loading the model once, at the same time).
 *
 * @param caseName the scenario case
 * @param point the sweep point's number in its case, from 1
 * @param operation {@code put} or {@code load}
 * @param round the load round, from 1; 1 for a put
 * @param model the model's label
 * @param placement the placement the model was stored with
 * @param strategy the put's or the loads' strategy
 * @param parallelism the bounded strategy's P as asked; 0 for serial and parallel
 * @param inFlight the requests the strategy kept in flight at most, as the put or load reported it (the first
 *     client's); 0 when it failed
 * @param nodes data nodes the cluster started with
 * @param replicas copies of each partition
 * @param chunkSizeBytes the largest chunk
 * @param clients clients that loaded at once (1 for a put)
 * @param modelBytes the model's size
 * @param chunks the model's chunks
 * @param requests the requests the work takes ({@link io.modelcache.timing.TimeModel.Transfer#requests()})
 * @param seconds the whole put, or the slowest client's whole load (manifest lookup included, SHA-256 not asked)
 * @param transferSeconds for loads, the slowest client's transfer (first chunk request to last chunk checked); for a
 *     put, {@code seconds}
 * @param heldSeconds how long the first client's load was held for a fault (included in the seconds)
 * @param isCompleted whether it completed for every client
 * @param isIdentical whether every completed load held the model's bytes exactly (true for puts)
 * @param error the first failure's message; empty when it completed
 * @param withFaults whether faults were done during it
 * @param usageByProcess CPU and peak memory of each process of the cluster over it, by role ({@code node-1})
 */
public record Measurement(String caseName, int point, String operation, int round, String model, String placement,
                          TransferStrategy strategy, int parallelism, int inFlight, int nodes, int replicas,
                          long chunkSizeBytes, int clients, long modelBytes, int chunks, int requests, double seconds,
                          double transferSeconds, double heldSeconds, boolean isCompleted, boolean isIdentical,
                          String error, boolean withFaults, Map<String, ProcessMeter.Usage> usageByProcess) {

    /** @return whether this is a load round */
    public boolean isLoad() {
        return operation.equals("load");
    }

    /** @return bytes moved: the model once per client, times the replicas for a put */
    public long movedBytes() {
        return isLoad() ? modelBytes * clients : modelBytes * replicas;
    }

    /**
     * @return MB/s (10^6 bytes) of model over the whole operation, added up over the clients (each loads the whole
     *     model); 0 when it failed
     */
    public double megabytesPerSecond() {
        return isCompleted && seconds > 0 ? modelBytes * (double) clients / seconds / 1e6 : 0;
    }

    /** @return the strategy as a table shows it: {@code bounded P=8}, {@code serial} */
    public String strategyLabel() {
        return strategy.label() + (parallelism > 0 ? " P=" + parallelism : "");
    }
}
