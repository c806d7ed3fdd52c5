package io.modelcache.placement;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Scatters chunks over the partitions at random, evenly: chunk i is first dealt to partition
 * {@code i mod P}, so every partition gets {@code n/P} chunks rounded up or down, then the deal is shuffled
 * (Fisher-Yates) with a {@link SplittableRandom} seeded with the given seed. Drawing each chunk's partition
 * independently would leave partitions uneven by about the square root of their size; the shuffle keeps
 * counts exact and positions random.
 *
 * <p>The same seed gives the same assignment. The writer records the seed and the assignment in the
 * manifest; readers use the recorded assignment, so it stays valid even if a later JDK changed
 * {@code SplittableRandom}'s sequence.
 */
public final class RandomPlacement implements Placement {
    /** The name recorded in manifests. */
    public static final String NAME = "random";

    static final RandomPlacement INSTANCE = new RandomPlacement();

    private RandomPlacement() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isSeeded() {
        return true;
    }

    @Override
    public int[] assign(List<ChunkKey> chunks, int partitionCount, long seed) {
        Placement.requirePartitions(partitionCount);
        int[] partitions = new int[chunks.size()];
        for (int chunkId = 0; chunkId < partitions.length; chunkId++) {
            partitions[chunkId] = chunkId % partitionCount;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int last = partitions.length - 1; last > 0; last--) {
            int other = random.nextInt(last + 1);
            int swapped = partitions[last];
            partitions[last] = partitions[other];
            partitions[other] = swapped;
        }
        return partitions;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
