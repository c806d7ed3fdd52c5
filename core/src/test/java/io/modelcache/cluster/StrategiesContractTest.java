package io.modelcache.cluster;

import io.modelcache.client.ModelCacheClient;
import io.modelcache.client.ModelStat;
import io.modelcache.format.DType;
import io.modelcache.format.SafetensorsWriter;
import io.modelcache.format.TensorSpec;
import io.modelcache.loader.InFlightGauge;
import io.modelcache.loader.LoadRequest;
import io.modelcache.loader.LoadedModel;
import io.modelcache.node.NodeRuntime;
import io.modelcache.node.TransferStrategy;
import io.modelcache.partition.PartitionEntity.PartitionInfo;
import io.modelcache.testkit.LocalCluster;
import io.modelcache.writer.PutRequest;
import io.modelcache.writer.PutResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every placement with every store strategy, every load strategy and one or two replicas, on three data nodes
 * in one JVM over the TCP data plane: each model comes back byte for byte, and each strategy keeps no more
 * requests in flight than it allows, as measured where the requests are made.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StrategiesContractTest {
    private static final int PARALLELISM = 3;
    private static LocalCluster cluster;
    private static ModelCacheClient client;
    private static Path model;
    private static MemorySegment expected;
    private static Arena arena;

    @TempDir
    static Path tempDir;

    @BeforeAll
    static void startCluster() throws Exception {
        model = tempDir.resolve("mixed.safetensors");
        List<TensorSpec> tensors = new ArrayList<>();
        for (int i = 0; i < 24; i++) { // sizes from a few bytes to several chunks
            tensors.add(new TensorSpec("layer" + i + ".weight", i % 2 == 0 ? DType.F32 : DType.BF16,
                new long[] {1 + i * 37L % 211, 3 + i * 13L % 97}));
        }
        tensors.add(new TensorSpec("embeddings", DType.F16, new long[] {300, 256}));
        SafetensorsWriter.write(model, Map.of("kind", "test"), tensors, 11);
        arena = Arena.ofShared();
        try (FileChannel file = FileChannel.open(model, StandardOpenOption.READ)) {
            expected = file.map(FileChannel.MapMode.READ_ONLY, 0, file.size(), arena);
        }
        cluster = LocalCluster.builder().dataNodes(3).with("modelcache.chunk-size = 16KiB").start();
        client = cluster.client();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        if (arena != null) {
            arena.close();
        }
    }

    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        for (String placement : List.of("hash", "range", "random")) {
            for (TransferStrategy store : TransferStrategy.values()) {
                for (TransferStrategy load : TransferStrategy.values()) {
                    for (int replicas = 1; replicas <= 2; replicas++) {
                        all.add(Arguments.of(placement, store, load, replicas));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "placement {0}, store {1}, load {2}, replicas {3}")
    @MethodSource("combinations")
    void everyCombinationReturnsTheExactBytes(String placement, TransferStrategy store, TransferStrategy load,
                                              int replicas) throws Exception {
        String name = placement + "-" + store.label() + "-" + load.label() + "-" + replicas;
        PutResult.Stored stored = client.put(PutRequest.of(model, name).withPlacement(placement)
                .withStoreStrategy(store).withParallelism(PARALLELISM).withReplicas(replicas))
            .toCompletableFuture().get(60, TimeUnit.SECONDS);
        InFlightGauge loads = NodeRuntime.get(client.node().system()).loadRequests();
        loads.resetPeak();
        try (LoadedModel loaded = client.load(LoadRequest.intoMemory(name).withStrategy(load)
                .withParallelism(PARALLELISM)).toCompletableFuture().get(60, TimeUnit.SECONDS)) {

            assertEquals(-1, expected.mismatch(loaded.file("mixed.safetensors")), name + ": bytes differ");
            assertEquals(load, loaded.strategy());
            assertTrue(stored.chunks() > 3 * PARALLELISM, "enough chunks to tell the strategies apart: "
                + stored.chunks());
            assertEquals(replicas, stored.replicas());
            assertInFlight(store, stored.parallelism(), stored.peakInFlight(), stored.chunks() * replicas, "store");
            assertInFlight(load, loaded.parallelism(), loads.peak(), stored.chunks(), "load");
            assertReplicasOnDistinctNodes(client.stat(name).toCompletableFuture().get(30, TimeUnit.SECONDS));
        } finally {
            client.remove(name).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Hash placement with 8 partitions per node on a model of 384 chunks: the allocation puts 8 partitions on each
     * node and the fullest node holds at most 1.15 times the mean bytes.
     */
    @org.junit.jupiter.api.Test
    void hashPlacementWithEightPartitionsPerNodeBalancesTheNodes() throws Exception {
        Path large = tempDir.resolve("large.safetensors");
        SafetensorsWriter.write(large, Map.of(), List.of(new TensorSpec("w", DType.U8, new long[] {384 * 16384 - 64})),
            3);
        client.put(PutRequest.of(large, "balanced").withPlacement("hash").withPartitions(24))
            .toCompletableFuture().get(60, TimeUnit.SECONDS);
        try {
            ModelStat stat = client.stat("balanced").toCompletableFuture().get(30, TimeUnit.SECONDS);

            assertEquals(3, stat.bytesByNode().size());
            assertTrue(stat.balance() <= 1.15, "largest node over the mean: " + stat.balance() + " "
                + stat.bytesByNode());
        } finally {
            client.remove("balanced").toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * One partition stored twice: if the loader read only one replica, one node would serve every chunk; reads
     * spread over replicas, so both nodes holding the partition serve some.
     */
    @org.junit.jupiter.api.Test
    void aLoadSpreadsItsReadsOverAPartitionsReplicas() throws Exception {
        client.put(PutRequest.of(model, "spread").withPartitions(1).withReplicas(2))
            .toCompletableFuture().get(60, TimeUnit.SECONDS);
        try {
            long[] before = served();
            LoadRequest serial = LoadRequest.intoMemory("spread").withStrategy(TransferStrategy.SERIAL);
            try (LoadedModel loaded = client.load(serial).toCompletableFuture().get(60, TimeUnit.SECONDS)) {
                assertEquals(-1, expected.mismatch(loaded.file("mixed.safetensors")));
            }
            long[] after = served();
            int serving = 0;
            long total = 0;
            for (int node = 0; node < after.length; node++) {
                total += after[node] - before[node];
                serving += after[node] > before[node] ? 1 : 0;
            }
            int chunks = client.find("spread").toCompletableFuture().get(30, TimeUnit.SECONDS).chunks().size();
            assertEquals(chunks, total, "every chunk served once");
            assertEquals(2, serving, "nodes that served chunks of the one partition");
        } finally {
            client.remove("spread").toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static long[] served() {
        return cluster.nodes().stream()
            .mapToLong(node -> NodeRuntime.get(node.system()).dataServer().served())
            .toArray();
    }

    /** What the strategy allows, and a measured peak within it. */
    private static void assertInFlight(TransferStrategy strategy, int allowed, int peak, int requests,
                                       String what) {
        int expectedAllowed = switch (strategy) {
            case SERIAL -> 1;
            case BOUNDED -> PARALLELISM;
            case PARALLEL -> requests;
        };
        assertEquals(expectedAllowed, allowed, what + " " + strategy.label() + " allowed");
        assertTrue(peak >= 1 && peak <= allowed, what + " " + strategy.label() + " had " + peak
            + " requests in flight at once, allowed " + allowed);
    }

    private static void assertReplicasOnDistinctNodes(ModelStat stat) {
        assertTrue(stat.unanswered().isEmpty(), "unanswered: " + stat.unanswered());
        assertEquals(stat.manifest().partitionCount() * stat.manifest().replicas(), stat.partitions().size());
        Map<String, Set<String>> nodesByPartition = new HashMap<>();
        for (PartitionInfo info : stat.partitions()) {
            String partition = info.entityId().replaceAll("\\.\\d+$", "");
            assertTrue(nodesByPartition.computeIfAbsent(partition, ignored -> new HashSet<>())
                .add(info.nodeAddress()), "two replicas of " + partition + " on " + info.nodeAddress());
        }
        long held = stat.bytesByNode().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(stat.manifest().totalBytes() * stat.manifest().replicas(), held, "bytes held on the nodes");
        assertTrue(Files.exists(model));
    }
}
