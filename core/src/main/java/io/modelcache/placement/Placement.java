package io.modelcache.placement;

import java.util.List;

/**
 * Decides which partition holds each chunk of a model. A writer asks once per put, with every chunk of the
 * model, and records the answer per chunk in the manifest, with the strategy's name and seed: a reader never
 * recomputes it, so a strategy may change its arithmetic without stranding models already stored.
 *
 * <p>Implementations are stateless, thread-safe and deterministic: the same chunks, partition count and seed
 * give the same assignment.
 */
public sealed interface Placement permits HashPlacement, RangePlacement, RandomPlacement {
    /**
     * The most partitions one model may have. Each partition is one sharding entity and one
     * {@code Locate} ask per put and load; 4096 is 64 per node on the 64 nodes the design plans for.
     */
    int MAX_PARTITIONS = 4096;

    /** The names {@link #named(String)} knows, in the order messages list them. */
    List<String> NAMES = List.of(HashPlacement.NAME, RangePlacement.NAME, RandomPlacement.NAME);

    /** @return the strategy's name as recorded in the manifest */
    String name();

    /** @return whether the assignment depends on the seed; strategies that ignore it record seed 0 */
    default boolean isSeeded() {
        return false;
    }

    /**
     * Assigns every chunk of a model a partition.
     *
     * @param chunks the model's chunks in manifest order; a chunk's id is its index here
     * @param partitionCount how many partitions the model has, at least 1
     * @param seed the seed of a seeded strategy; ignored when {@link #isSeeded()} is false
     * @return one partition in {@code 0..partitionCount-1} per chunk, indexed by chunk id
     * @throws IllegalArgumentException if {@code partitionCount} is less than 1
     */
    int[] assign(List<ChunkKey> chunks, int partitionCount, long seed);

    /**
     * @return the placement called {@code name}
     * @throws IllegalArgumentException naming the value and the known names if there is none
     */
    static Placement named(String name) {
        return named("placement", name);
    }

    /**
     * @param setting what the value was given as, for the message: a HOCON key or a command-line option
     * @param name the placement's name
     * @return the placement called {@code name}
     * @throws IllegalArgumentException naming the setting, the value and the known names if there is none
     */
    static Placement named(String setting, String name) {
        return switch (name) {
            case HashPlacement.NAME -> HashPlacement.INSTANCE;
            case RangePlacement.NAME -> RangePlacement.INSTANCE;
            case RandomPlacement.NAME -> RandomPlacement.INSTANCE;
            case null, default -> throw new IllegalArgumentException(setting + " '" + name + "' is unknown; known: "
                + String.join(", ", NAMES));
        };
    }

    /**
     * @param setting what the value was given as, for the message
     * @param partitionCount a partition count asked for
     * @throws IllegalArgumentException naming the setting, the value and the range if it is outside
     *     1..{@link #MAX_PARTITIONS}
     */
    static void checkPartitionCount(String setting, int partitionCount) {
        if (partitionCount < 1 || partitionCount > MAX_PARTITIONS) {
            throw new IllegalArgumentException(setting + " " + partitionCount + " is outside 1.." + MAX_PARTITIONS);
        }
    }

    /**
     * The guard every {@link #assign} starts with.
     *
     * @throws IllegalArgumentException if {@code partitionCount} is less than 1
     */
    static void requirePartitions(int partitionCount) {
        if (partitionCount < 1) {
            throw new IllegalArgumentException("partition count " + partitionCount + " must be at least 1");
        }
    }
}
