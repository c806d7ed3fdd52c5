package io.modelcache.sim.scenario;

import io.modelcache.node.TransferStrategy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The values a scenario case sweeps over; every combination is a {@link SweepPoint}. A P list applies to the
 * bounded strategy only: serial and parallel take no P, so they are measured once, whatever the list.
 *
 * @param placements {@code sweep.placement}
 * @param stores {@code sweep.store}
 * @param storeParallelisms {@code sweep.store-parallelism}
 * @param loads {@code sweep.load}
 * @param loadParallelisms {@code sweep.load-parallelism}
 * @param nodes {@code sweep.nodes}
 * @param replicas {@code sweep.replicas}
 * @param chunkSizesBytes {@code sweep.chunk-size}
 */
public record Sweep(List<String> placements, List<TransferStrategy> stores, List<Integer> storeParallelisms,
                    List<TransferStrategy> loads, List<Integer> loadParallelisms, List<Integer> nodes,
                    List<Integer> replicas, List<Long> chunkSizesBytes) {

    /**
     * @return every combination once, ordered so that points on one cluster shape follow each other, and on it the
     *     points of one store shape: cluster, then placement, store strategy, store P and replicas, then load
     *     strategy and load P, each in the order the lists give
     */
    public List<SweepPoint> points() {
        Set<SweepPoint> points = new LinkedHashSet<>();
        for (int nodeCount : nodes) {
            for (long chunkSizeBytes : chunkSizesBytes) {
                for (String placement : placements) {
                    for (TransferStrategy store : stores) {
                        for (int storeP : parallelisms(store, storeParallelisms)) {
                            for (int replicaCount : replicas) {
                                for (TransferStrategy load : loads) {
                                    for (int loadP : parallelisms(load, loadParallelisms)) {
                                        points.add(new SweepPoint(placement, store, storeP, load, loadP, nodeCount,
                                            replicaCount, chunkSizeBytes));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new ArrayList<>(points);
    }

    private static List<Integer> parallelisms(TransferStrategy strategy, List<Integer> values) {
        return strategy == TransferStrategy.BOUNDED ? values : List.of(0);
    }
}
