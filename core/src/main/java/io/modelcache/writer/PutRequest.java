package io.modelcache.writer;

import io.modelcache.node.TransferStrategy;
import io.modelcache.placement.Placement;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What to store, and how to spread it.
 *
 * <p>Build one with {@link #of} and the {@code with} methods:
 * {@code PutRequest.of(path, "m").withPlacement("range").withPartitions(16)}. Each checks its value at once,
 * so a bad request fails where it is made, not in the writer.
 *
 * @param path a model file, or a directory whose regular files form the model
 * @param name the model's name, unique in the cluster
 * @param storeParallelism chunks kept in flight; 0 takes {@code modelcache.writer.parallelism}
 * @param progress told the bytes acknowledged so far; may be {@code null}
 * @param placement {@code hash}, {@code range} or {@code random}; {@code null} takes
 *     {@code modelcache.writer.placement}
 * @param partitions how many partitions, 1..{@link Placement#MAX_PARTITIONS} and at most the model's chunk
 *     count (a put asking for more is refused); 0 takes data nodes times {@code modelcache.writer.partitions-per-node},
 *     lowered to the chunk count
 * @param placementSeed the seed of {@code random} placement; empty derives it from the model's content. A
 *     put that gives a seed to another placement is refused
 * @param storeStrategy how many chunks to keep in flight; {@code null} takes {@code modelcache.writer.strategy}
 * @param replicas how many times to store each partition, each copy on another data node; at least 1 and at
 *     most the data nodes up when the put starts (a put asking for more is refused)
 */
public record PutRequest(Path path, String name, int storeParallelism, ProgressListener progress, String placement,
                         int partitions, OptionalLong placementSeed, TransferStrategy storeStrategy, int replicas) {

    /**
     * @throws IllegalArgumentException naming the value and the known names or range if the placement is
     *     unknown or the partition count is out of range
     */
    public PutRequest {
        Objects.requireNonNull(placementSeed, "placementSeed");
        if (placement != null) {
            Placement.named(placement);
        }
        if (partitions != 0) {
            Placement.checkPartitionCount("partitions", partitions);
        }
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            throw new IllegalArgumentException("replicas " + replicas + " is outside 1.." + MAX_REPLICAS);
        }
    }

    /** The most replicas a put may ask for (it is refused anyway when there are fewer data nodes). */
    public static final int MAX_REPLICAS = 16;

    /** A request with the configured placement, partitions and seed. */
    public PutRequest(Path path, String name, int storeParallelism, ProgressListener progress) {
        this(path, name, storeParallelism, progress, null, 0, OptionalLong.empty(), null, 1);
    }

    /** A request with the configured parallelism, placement and partitions, and no progress listener. */
    public static PutRequest of(Path path, String name) {
        return new PutRequest(path, name, 0, null);
    }

    /**
     * @param newPlacement {@code hash}, {@code range} or {@code random}; {@code null} takes the configured one
     * @throws IllegalArgumentException naming the value and the known names if it is unknown
     */
    public PutRequest withPlacement(String newPlacement) {
        return new PutRequest(path, name, storeParallelism, progress, newPlacement, partitions, placementSeed,
            storeStrategy, replicas);
    }

    /**
     * @param newPartitions 1..{@link Placement#MAX_PARTITIONS}; 0 takes the default
     * @throws IllegalArgumentException naming the value and the range if it is outside them
     */
    public PutRequest withPartitions(int newPartitions) {
        return new PutRequest(path, name, storeParallelism, progress, placement, newPartitions, placementSeed,
            storeStrategy, replicas);
    }

    /** @param seed the seed of {@code random} placement */
    public PutRequest withPlacementSeed(long seed) {
        return new PutRequest(path, name, storeParallelism, progress, placement, partitions,
            OptionalLong.of(seed), storeStrategy, replicas);
    }

    /** @return this request with another store strategy; {@code null} takes the configured one */
    public PutRequest withStoreStrategy(TransferStrategy strategy) {
        return new PutRequest(path, name, storeParallelism, progress, placement, partitions, placementSeed, strategy,
            replicas);
    }

    /** @return this request with another bounded strategy's P; 0 takes the configured one */
    public PutRequest withParallelism(int parallelism) {
        return new PutRequest(path, name, parallelism, progress, placement, partitions, placementSeed, storeStrategy,
            replicas);
    }

    /**
     * @param count how many times to store each partition, 1..{@link #MAX_REPLICAS}
     * @throws IllegalArgumentException naming the value and the range if it is outside it
     */
    public PutRequest withReplicas(int count) {
        return new PutRequest(path, name, storeParallelism, progress, placement, partitions, placementSeed,
            storeStrategy, count);
    }

    /** @return this request reporting progress to {@code listener} */
    public PutRequest withProgress(ProgressListener listener) {
        return new PutRequest(path, name, storeParallelism, listener, placement, partitions, placementSeed,
            storeStrategy, replicas);
    }
}
