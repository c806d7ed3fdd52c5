package io.modelcache.sim.scenario;

import io.modelcache.node.TransferStrategy;

/**
 * One combination of a sweep: how the model is stored, how it is loaded, and on what cluster.
 *
 * @param placement {@code hash}, {@code range} or {@code random}
 * @param store the put's strategy
 * @param storeParallelism the bounded store strategy's P; 0 for serial and parallel, which take no P
 * @param load the loads' strategy
 * @param loadParallelism the bounded load strategy's P; 0 for serial and parallel
 * @param nodes data nodes in the cluster
 * @param replicas copies of each partition
 * @param chunkSizeBytes {@code modelcache.chunk-size} of every member
 */
public record SweepPoint(String placement, TransferStrategy store, int storeParallelism, TransferStrategy load,
                         int loadParallelism, int nodes, int replicas, long chunkSizeBytes) {

    /** What a cluster is started with: points that share it run on one cluster, one after the other. */
    public record ClusterShape(int nodes, long chunkSizeBytes) {
    }

    /** What a put is made with: points that share it load one stored model. */
    public record StoreShape(String placement, TransferStrategy store, int storeParallelism, int replicas) {
    }

    /** @return the cluster this point needs */
    public ClusterShape clusterShape() {
        return new ClusterShape(nodes, chunkSizeBytes);
    }

    /** @return how this point's model is stored */
    public StoreShape storeShape() {
        return new StoreShape(placement, store, storeParallelism, replicas);
    }
}
