package io.modelcache.placement;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * How one put spreads its model: the placement, how many partitions and, for a seeded placement, the seed.
 *
 * <p>The partition count is either exact (the caller asked for it: a model with fewer chunks is refused,
 * because empty partitions would hold nothing yet still be located and asked on every load) or a default
 * (data nodes times partitions per node: capped at the model's chunk count). Either way a model has at
 * least one partition.
 *
 * @param placement the strategy
 * @param partitionCount partitions asked for, 1..{@link Placement#MAX_PARTITIONS}
 * @param isExact whether {@code partitionCount} was asked for by the caller rather than derived
 * @param seed the seed of a seeded placement; empty takes one derived from the model's content, so the same
 *     content is placed the same way
 */
public record PlacementChoice(Placement placement, int partitionCount, boolean isExact, OptionalLong seed) {

    /**
     * @throws IllegalArgumentException if the partition count is out of range, or a seed is given to a
     *     placement that takes none
     */
    public PlacementChoice {
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(seed, "seed");
        Placement.checkPartitionCount("partitions", partitionCount);
        if (seed.isPresent() && !placement.isSeeded()) {
            throw new IllegalArgumentException("placement seed " + seed.getAsLong() + " is used by "
                + RandomPlacement.NAME + " placement only, not by " + placement.name());
        }
    }

    /**
     * A partition count the caller asked for.
     *
     * @throws IllegalArgumentException as the constructor
     */
    public static PlacementChoice exactly(Placement placement, int partitionCount, OptionalLong seed) {
        return new PlacementChoice(placement, partitionCount, true, seed);
    }

    /**
     * A default partition count, lowered to the model's chunk count and to {@link Placement#MAX_PARTITIONS}.
     *
     * @param partitionCount the default, at least 1; larger values are lowered to the maximum
     * @throws IllegalArgumentException if {@code partitionCount} is less than 1, or as the constructor
     */
    public static PlacementChoice atMost(Placement placement, int partitionCount, OptionalLong seed) {
        if (partitionCount < 1) {
            throw new IllegalArgumentException("partition count " + partitionCount + " must be at least 1");
        }
        return new PlacementChoice(placement, Math.min(partitionCount, Placement.MAX_PARTITIONS), false, seed);
    }

    /**
     * @param chunkCount how many chunks the model has
     * @param modelId the model, for the message
     * @return how many partitions the model gets: at least 1, at most {@code max(1, chunkCount)}
     * @throws IllegalArgumentException naming the count and the chunks if an exact count exceeds the chunks
     */
    public int partitionCountFor(int chunkCount, String modelId) {
        int most = Math.max(1, chunkCount);
        if (!isExact) {
            return Math.min(partitionCount, most);
        }
        if (partitionCount > most) {
            throw new IllegalArgumentException("partitions " + partitionCount + " exceeds the " + chunkCount
                + " chunks of " + modelId + "; ask for 1.." + most);
        }
        return partitionCount;
    }

    /**
     * @param contentSeed a seed derived from the model's content, used when none was given
     * @return the seed to assign with and record: 0 for a placement that takes none
     */
    public long seedFor(long contentSeed) {
        return placement.isSeeded() ? seed.orElse(contentSeed) : 0;
    }
}
