package io.modelcache.placement;

/**
 * Hashes a chunk's key (file index, chunk index in file) onto the partitions with a 64-bit mixer
 * (SplitMix64's finalizer), which spreads consecutive chunks evenly.
 */
public final class HashPlacement implements Placement {
    /** The name recorded in manifests. */
    public static final String NAME = "hash";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int partitionOf(int fileIndex, long chunkInFile, int chunkId, int partitionCount) {
        if (partitionCount < 1) {
            throw new IllegalArgumentException("partition count " + partitionCount + " must be at least 1");
        }
        long key = ((long) fileIndex << 40) ^ chunkInFile;
        return (int) Long.remainderUnsigned(mix(key), partitionCount);
    }

    private static long mix(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
