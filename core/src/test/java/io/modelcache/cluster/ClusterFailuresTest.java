package io.modelcache.cluster;

import io.modelcache.client.ModelCacheClient;
import io.modelcache.client.ModelStat;
import io.modelcache.format.DType;
import io.modelcache.format.SafetensorsWriter;
import io.modelcache.format.TensorSpec;
import io.modelcache.loader.LoadRequest;
import io.modelcache.loader.LoadedModel;
import io.modelcache.testkit.LocalCluster;
import io.modelcache.testkit.Models;
import io.modelcache.writer.PutRequest;
import io.modelcache.writer.PutResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Refusals and failures on a real three-node cluster: each leaves the cluster serving and nothing leaked. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterFailuresTest {

    @TempDir
    Path tempDir;

    @Test
    void getOfUnknownModelFailsNamingIt() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().dataNodes(3).start()) {
            ModelCacheClient client = cluster.client();

            String reason = failure(client.load(LoadRequest.intoMemory("no-such-model")));

            assertEquals("model 'no-such-model' not found", reason);
        }
    }

    @Test
    void putOverMemoryBudgetIsRefusedAndLeavesNothingAllocated() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().dataNodes(3).with("modelcache.node.memory-budget = 16MiB")
            .start()) {
            ModelCacheClient client = cluster.client();

            String reason = failure(client.put(PutRequest.of(Models.miniLm(), "too-big")));

            assertTrue(reason.contains("memory budget is full"), reason);
            assertTrue(reason.contains("16777216"), "names the budget: " + reason);
            awaitUsedBytes(cluster, 0);
            assertTrue(client.list().toCompletableFuture().get().isEmpty(), "nothing of the put stays visible");
            PutResult.Stored small = client.put(PutRequest.of(Models.miniLmQuantized(), "fits"))
                .toCompletableFuture().get();
            assertEquals(Files.size(Models.miniLmQuantized()), small.bytes(), "the cluster keeps serving");
        }
    }

    @Test
    void invalidSafetensorsFileIsRefusedNamingTensorAndNothingIsStored() throws Exception {
        Path bad = tempDir.resolve("bad.safetensors");
        byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SafetensorsWriter.writeRaw(bad, header, header.length, new byte[12]);
        try (LocalCluster cluster = LocalCluster.builder().dataNodes(3).start()) {
            ModelCacheClient client = cluster.client();

            String reason = failure(client.put(PutRequest.of(bad, "bad")));

            assertTrue(reason.contains("'w'") && reason.contains("12") && reason.contains("16"), reason);
            assertEquals(0, cluster.usedBytes());
            assertTrue(client.list().toCompletableFuture().get().isEmpty());
        }
    }

    @Test
    void storesSafetensorsDirectoryWithTensorIndexStatAndRemoveFreesMemory() throws Exception {
        Path model = tempDir.resolve("model");
        Files.createDirectories(model);
        SafetensorsWriter.write(model.resolve("model.safetensors"), Map.of("format", "pt"), List.of(
            new TensorSpec("embed", DType.BF16, new long[] {1000, 384}),
            new TensorSpec("bias", DType.F32, new long[] {384}),
            new TensorSpec("empty", DType.F32, new long[] {0, 4})), 7);
        Files.writeString(model.resolve("config.json"), "{\"hidden_size\": 384}");
        try (LocalCluster cluster = LocalCluster.builder().dataNodes(3).with("modelcache.chunk-size = 64KiB")
            .start()) {
            ModelCacheClient client = cluster.client();

            PutResult.Stored stored = client.put(PutRequest.of(model, "st")).toCompletableFuture().get();
            ModelStat stat = client.stat("st").toCompletableFuture().get();
            try (LoadedModel loaded = client.load(LoadRequest.intoMemory("st").withParallelism(3))
                .toCompletableFuture().get()) {
                assertEquals(2, stored.files());
                assertEquals(3, stored.tensors());
                assertEquals(1000 * 384 * 2, loaded.tensor("embed").byteSize());
                StoreAndLoadRealModelsContract.assertSameBytes(model.resolve("config.json"),
                    loaded.file("config.json"));
                StoreAndLoadRealModelsContract.assertSameBytes(model.resolve("model.safetensors"),
                    loaded.file("model.safetensors"));
            }
            assertEquals(stored.bytes(), stat.bytesByNode().values().stream().mapToLong(Long::longValue).sum());
            assertEquals(3, stat.bytesByNode().size(), "chunks spread over every node: " + stat.bytesByNode());

            client.remove("st").toCompletableFuture().get();

            awaitUsedBytes(cluster, 0);
            assertTrue(client.list().toCompletableFuture().get().isEmpty());
            assertTrue(failure(client.remove("st")).contains("not found"));
        }
    }

    @Test
    void putOfSameNameIsIdempotentForSameContentAndRefusedForOther() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().dataNodes(2).start()) {
            ModelCacheClient client = cluster.client();
            client.put(PutRequest.of(Models.miniLmQuantized(), "m")).toCompletableFuture().get();
            long held = cluster.usedBytes();

            PutResult.Stored again = client.put(PutRequest.of(Models.miniLmQuantized(), "m")).toCompletableFuture()
                .get();
            String reason = failure(client.put(PutRequest.of(Models.miniLm(), "m")));

            assertTrue(again.alreadyStored());
            assertTrue(reason.contains("already exists"), reason);
            assertEquals(held, cluster.usedBytes(), "the refused put left nothing behind");
        }
    }

    @Test
    void loadFailsWithinTimeoutNamingChunksWhenNodeStopsMidLoad() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().dataNodes(3)
            .with("modelcache.chunk-size = 256KiB\nmodelcache.loader.chunk-timeout = 2s\n"
                + "modelcache.loader.locate-timeout = 3s")
            .start()) {
            ModelCacheClient client = cluster.client();
            client.put(PutRequest.of(Models.miniLm(), "m")).toCompletableFuture().get();
            AtomicBoolean stopping = new AtomicBoolean();
            LoadRequest slowLoad = LoadRequest.intoMemory("m").withParallelism(1).withProgress((done, total) -> {
                if (stopping.compareAndSet(false, true)) {
                    CompletableFuture.runAsync(() -> cluster.nodes().get(2).close(Duration.ofSeconds(20)));
                }
                sleepQuietly(10); // a slow consumer keeps the load running while the node leaves
            });
            long startNs = System.nanoTime();

            String reason = failure(client.load(slowLoad));

            double seconds = (System.nanoTime() - startNs) / 1e9;
            assertTrue(reason.contains("could not get") && reason.contains("chunk"), reason);
            assertTrue(seconds < 60, "failed after " + seconds + " s");
        }
    }

    private static String failure(java.util.concurrent.CompletionStage<?> stage) {
        ExecutionException error = assertThrows(ExecutionException.class, () -> {
            Object value = stage.toCompletableFuture().get(90, TimeUnit.SECONDS);
            if (value instanceof AutoCloseable closeable) {
                closeable.close();
            }
        });
        return error.getCause().getMessage();
    }

    private static void awaitUsedBytes(LocalCluster cluster, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cluster.usedBytes() != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(expected, cluster.usedBytes(), "bytes held on the nodes");
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
