package io.modelcache.placement;

import java.util.List;

/**
 * Cuts the model's chunk sequence into contiguous runs, one per partition, their lengths as equal as
 * possible: with n chunks and P partitions, partition p holds chunks {@code [p*n/P, (p+1)*n/P)} (integer
 * division), so run lengths differ by at most one chunk. Files follow each other in the sequence, so a run
 * may end in one file and go on in the next.
 *
 * <p>Consecutive chunks stay together: a tensor of k chunks' bytes spans at most k+1 chunks, and those sit
 * in at most two partitions while k is at most the shortest run's length, usually in one. A load of a few neighbouring
 * tensors then locates and asks one or two partitions; the price is that it reads them from one or two nodes
 * rather than from all. Bytes at rest stay even: runs differ by at most one chunk. The seed is ignored.
 */
public final class RangePlacement implements Placement {
    /** The name recorded in manifests. */
    public static final String NAME = "range";

    static final RangePlacement INSTANCE = new RangePlacement();

    private RangePlacement() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int[] assign(List<ChunkKey> chunks, int partitionCount, long seed) {
        Placement.requirePartitions(partitionCount);
        long chunkCount = chunks.size();
        int[] partitions = new int[chunks.size()];
        for (int partition = 0; partition < partitionCount; partition++) {
            int first = (int) (partition * chunkCount / partitionCount);
            int end = (int) ((partition + 1) * chunkCount / partitionCount);
            for (int chunkId = first; chunkId < end; chunkId++) {
                partitions[chunkId] = partition;
            }
        }
        return partitions;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
