package io.modelcache.placement;

/**
 * Decides which partition holds a chunk. Implementations are deterministic for the same arguments.
 */
public interface Placement {

    /** @return the strategy's name as recorded in the manifest */
    String name();

    /**
     * @param fileIndex index of the chunk's file in the model
     * @param chunkInFile the chunk's index within its file
     * @param chunkId the chunk's index within the model
     * @param partitionCount how many partitions the model has, at least 1
     * @return a partition in {@code 0..partitionCount-1}
     */
    int partitionOf(int fileIndex, long chunkInFile, int chunkId, int partitionCount);

    /**
     * @return the placement called {@code name}
     * @throws IllegalArgumentException naming the value and the known names if there is none
     */
    static Placement named(String name) {
        return switch (name) {
            case HashPlacement.NAME -> new HashPlacement();
            default -> throw new IllegalArgumentException("placement '" + name + "' is unknown; known: "
                + HashPlacement.NAME);
        };
    }
}
