package io.modelcache.manifest;

import io.modelcache.partition.PartitionId;
import io.modelcache.serialization.ControlMessage;

import java.util.List;

/**
 * Everything needed to find and check one stored model.
 *
 * <p>Today the whole manifest, chunk list included, is one Distributed Data value. That is about 40 bytes
 * per chunk on the wire: fine for the models tested here (tens of chunks), but a 1 TB model with 250,000
 * chunks would make a 10 MB value. TODO: keep only state, sizes, placement parameters and digests in
 * Distributed Data and the chunk and tensor index with the partitions (costs: large models cannot be put).
 *
 * @param name the model's name, unique in the cluster
 * @param version a digest of the content (the first 16 hex digits of the SHA-256 over the files' digests)
 * @param state where the model is in its life
 * @param placement the placement strategy's name, for example {@code hash}
 * @param placementSeed the seed a seeded placement ({@code random}) assigned chunks with; 0 for the others.
 *     Recorded so that a placement can be told apart and reproduced; readers use each chunk's partition
 * @param partitionCount how many partitions hold the chunks
 * @param replicas how many times each partition is stored, each copy on another data node
 * @param chunkSizeBytes the largest chunk's length
 * @param files the files, in the order chunks refer to them
 * @param tensors the tensors found in the files' own indexes
 * @param chunks the chunks; a chunk's id is its index here
 * @param createdAtMs when the put started, in milliseconds since the epoch
 */
public record Manifest(
    String name,
    String version,
    ModelState state,
    String placement,
    long placementSeed,
    int partitionCount,
    int replicas,
    int chunkSizeBytes,
    List<FileEntry> files,
    List<TensorEntry> tensors,
    List<ChunkEntry> chunks,
    long createdAtMs) implements ControlMessage {

    /** Makes the lists immutable copies. */
    public Manifest {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas " + replicas + " must be at least 1");
        }
        files = List.copyOf(files);
        tensors = List.copyOf(tensors);
        chunks = List.copyOf(chunks);
    }

    /** A manifest whose placement takes no seed ({@code hash}, {@code range}): seed 0. */
    public Manifest(String name, String version, ModelState state, String placement, int partitionCount,
                    int chunkSizeBytes, List<FileEntry> files, List<TensorEntry> tensors, List<ChunkEntry> chunks,
                    long createdAtMs) {
        this(name, version, state, placement, 0, partitionCount, 1, chunkSizeBytes, files, tensors, chunks,
            createdAtMs);
    }

    /** @return {@code name@version}, the id a put prints */
    public String modelId() {
        return name + "@" + version;
    }

    /**
     * @param partition the partition, from 0 to {@link #partitionCount()} less one
     * @param replica the replica, from 0
     * @return the sharding entity id of one replica of one partition of this model,
     *         {@code name@version#partition.replica}
     * @throws IllegalArgumentException naming the value when an index is negative
     */
    public String partitionEntityId(int partition, int replica) {
        return new PartitionId(modelId(), partition, replica).format();
    }

    /** @return the sum of the files' sizes */
    public long totalBytes() {
        long total = 0;
        for (FileEntry file : files) {
            total += file.sizeBytes();
        }
        return total;
    }

    /** @return this manifest in another state */
    public Manifest withState(ModelState newState) {
        return new Manifest(name, version, newState, placement, placementSeed, partitionCount, replicas,
            chunkSizeBytes, files, tensors, chunks, createdAtMs);
    }

    /** @return this manifest with every partition stored {@code count} times */
    public Manifest withReplicas(int count) {
        return new Manifest(name, version, state, placement, placementSeed, partitionCount, count, chunkSizeBytes,
            files, tensors, chunks, createdAtMs);
    }
}
