package io.modelcache.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.modelcache.dataplane.AeronSettings;
import io.modelcache.dataplane.DataFrames;
import io.modelcache.placement.Placement;

import java.time.Duration;

/**
 * Every {@code modelcache.*} setting, read once from HOCON and checked.
 *
 * @param chunkSizeBytes the largest chunk, {@code modelcache.chunk-size}
 * @param memoryBudgetBytes a data node's off-heap budget, {@code modelcache.node.memory-budget}
 * @param registryTimeout how long a majority read or write of the registry may take
 * @param storeStrategy how many chunks a put keeps in flight, {@code modelcache.writer.strategy}
 * @param storeParallelism chunks a writer keeps in flight, {@code modelcache.writer.parallelism}
 * @param storeChunkTimeout how long a partition may take to acknowledge one chunk
 * @param partitionsPerNode partitions a put makes per data node unless it asks for a count
 * @param placement how a put assigns chunks to partitions unless it asks otherwise, {@code modelcache.writer.placement}
 * @param loadStrategy how many chunk requests a load keeps in flight, {@code modelcache.loader.strategy}
 * @param loadParallelism the size of a loader's router of fetchers, {@code modelcache.loader.parallelism}
 * @param loadBatchChunks the most chunks a fetcher asks one node for in one data-plane request
 * @param fetchChunkTimeout how long a partition may take to answer one chunk request
 * @param loadTimeout how long a whole load may take
 * @param locateTimeout how long finding a partition through sharding may take
 * @param joinTimeout how long a client waits to join the cluster
 * @param transport how chunk bytes travel: {@code tcp}, {@code aeron} or {@code artery}
 * @param dataHost the data port's host; empty means the cluster hostname
 * @param dataPort the data port; 0 picks a free one
 * @param dataSocketBufferBytes the receive buffer of each data connection
 * @param ticketTtl how long a data-plane ticket stays valid
 * @param aeron the Aeron data plane's settings, {@code modelcache.data-plane.aeron}
 */
public record ModelCacheSettings(
    long chunkSizeBytes,
    long memoryBudgetBytes,
    Duration registryTimeout,
    TransferStrategy storeStrategy,
    int storeParallelism,
    Duration storeChunkTimeout,
    int partitionsPerNode,
    String placement,
    TransferStrategy loadStrategy,
    int loadParallelism,
    int loadBatchChunks,
    Duration fetchChunkTimeout,
    Duration loadTimeout,
    Duration locateTimeout,
    Duration joinTimeout,
    String transport,
    String dataHost,
    int dataPort,
    int dataSocketBufferBytes,
    Duration ticketTtl,
    AeronSettings aeron) {

    /** Chunks travel on the data plane's TCP connections. */
    public static final String TCP = "tcp";
    /** Chunks travel on Aeron: UDP between media drivers, IPC on a shared one. */
    public static final String AERON = "aeron";
    /** Chunks travel inside Pekko messages. */
    public static final String ARTERY = "artery";

    /** Bytes kept free in a large Artery frame for a chunk message's header. */
    public static final long FRAME_HEADER_ALLOWANCE_BYTES = 64 * 1024;
    /** The smallest chunk size allowed. */
    public static final long MIN_CHUNK_SIZE_BYTES = 4 * 1024;
    /** The largest router of fetchers, and the most chunks a writer may keep in flight. */
    public static final int MAX_PARALLELISM = 1024;

    /**
     * Reads and checks the settings.
     *
     * @param config the actor system's whole configuration
     * @throws IllegalArgumentException naming the setting, its value and its limit when one is out of range
     */
    public static ModelCacheSettings from(Config config) {
        try {
            Config mc = config.getConfig("modelcache");
            ModelCacheSettings settings = new ModelCacheSettings(
                mc.getBytes("chunk-size"),
                mc.getBytes("node.memory-budget"),
                mc.getDuration("registry.timeout"),
                TransferStrategy.named("modelcache.writer.strategy", mc.getString("writer.strategy")),
                mc.getInt("writer.parallelism"),
                mc.getDuration("writer.chunk-timeout"),
                mc.getInt("writer.partitions-per-node"),
                mc.getString("writer.placement"),
                TransferStrategy.named("modelcache.loader.strategy", mc.getString("loader.strategy")),
                mc.getInt("loader.parallelism"),
                mc.getInt("loader.batch-chunks"),
                mc.getDuration("loader.chunk-timeout"),
                mc.getDuration("loader.load-timeout"),
                mc.getDuration("loader.locate-timeout"),
                mc.getDuration("client.join-timeout"),
                mc.getString("data-plane.transport"),
                mc.getString("data-plane.tcp.host"),
                mc.getInt("data-plane.tcp.port"),
                (int) Math.min(Integer.MAX_VALUE, mc.getBytes("data-plane.tcp.socket-buffer")),
                mc.getDuration("data-plane.ticket-ttl"),
                AeronSettings.from(mc.getConfig("data-plane.aeron")));
            settings.check(config.getBytes("pekko.remote.artery.advanced.maximum-large-frame-size"));
            return settings;
        } catch (ConfigException e) {
            throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
        }
    }

    private void check(long largeFrameBytes) {
        if (chunkSizeBytes < MIN_CHUNK_SIZE_BYTES || chunkSizeBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("modelcache.chunk-size " + chunkSizeBytes + " bytes is outside "
                + MIN_CHUNK_SIZE_BYTES + ".." + Integer.MAX_VALUE + " bytes");
        }
        if (chunkSizeBytes + FRAME_HEADER_ALLOWANCE_BYTES > largeFrameBytes) {
            throw new IllegalArgumentException("modelcache.chunk-size " + chunkSizeBytes + " bytes does not fit "
                + "pekko.remote.artery.advanced.maximum-large-frame-size " + largeFrameBytes + " bytes; the frame "
                + "must be at least " + (chunkSizeBytes + FRAME_HEADER_ALLOWANCE_BYTES) + " bytes");
        }
        if (memoryBudgetBytes <= 0) {
            throw new IllegalArgumentException("modelcache.node.memory-budget " + memoryBudgetBytes
                + " bytes must be greater than 0");
        }
        checkParallelism("modelcache.writer.parallelism", storeParallelism);
        checkParallelism("modelcache.loader.parallelism", loadParallelism);
        if (loadBatchChunks < 1 || loadBatchChunks > DataFrames.MAX_BATCH_CHUNKS) {
            throw new IllegalArgumentException("modelcache.loader.batch-chunks " + loadBatchChunks + " is outside 1.."
                + DataFrames.MAX_BATCH_CHUNKS);
        }
        if (!transport.equals(TCP) && !transport.equals(AERON) && !transport.equals(ARTERY)) {
            throw new IllegalArgumentException("modelcache.data-plane.transport '" + transport + "' is unknown; "
                + "use " + TCP + ", " + AERON + " or " + ARTERY);
        }
        if (dataPort < 0 || dataPort > 65535) {
            throw new IllegalArgumentException("modelcache.data-plane.tcp.port " + dataPort + " is outside 0..65535");
        }
        if (partitionsPerNode < 1 || partitionsPerNode > 1024) {
            throw new IllegalArgumentException("modelcache.writer.partitions-per-node " + partitionsPerNode
                + " is outside 1..1024");
        }
        Placement.named("modelcache.writer.placement", placement);
    }

    /**
     * @throws IllegalArgumentException if {@code value} is outside 1..{@link #MAX_PARALLELISM}
     */
    public static void checkParallelism(String name, int value) {
        if (value < 1 || value > MAX_PARALLELISM) {
            throw new IllegalArgumentException(name + " " + value + " is outside 1.." + MAX_PARALLELISM);
        }
    }
}
