package io.modelcache.cluster;

import io.modelcache.client.ModelCacheClient;
import io.modelcache.loader.LoadRequest;
import io.modelcache.loader.LoadedModel;
import io.modelcache.testkit.LocalCluster;
import io.modelcache.testkit.Models;
import io.modelcache.writer.PutRequest;
import io.modelcache.writer.PutResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three data nodes in one JVM store the real ONNX models and give them back byte for byte: one contract, run
 * once for each data-plane transport by its subclasses.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
abstract class StoreAndLoadRealModelsContract {
    private static LocalCluster cluster;
    private static ModelCacheClient client;

    static void start(String transport) throws Exception {
        cluster = LocalCluster.builder().dataNodes(3).with("modelcache.data-plane.transport = " + transport).start();
        client = cluster.client();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    @Test
    void storesAndLoadsQuantizedMiniLmByteIdenticalAtParallelismOneAndEight() throws Exception {
        assertRoundTrip(Models.miniLmQuantized(), "minilm-q");
    }

    @Test
    void storesAndLoadsMiniLmByteIdenticalAtParallelismOneAndEight() throws Exception {
        assertRoundTrip(Models.miniLm(), "minilm");
    }

    private static void assertRoundTrip(Path source, String name) throws Exception {
        PutResult.Stored stored = client.put(PutRequest.of(source, name)).toCompletableFuture().get();

        assertEquals(source.toFile().length(), stored.bytes());
        assertTrue(cluster.usedBytes() >= stored.bytes(), "nodes hold the model's bytes");
        for (int parallelism : new int[] {1, 8}) {
            try (LoadedModel model = client.load(LoadRequest.intoMemory(name).withParallelism(parallelism)
                .withSha256Check(parallelism == 8))
                .toCompletableFuture().get()) {
                assertEquals(parallelism, model.parallelism());
                assertSameBytes(source, model.file(source.getFileName().toString()));
            }
        }
    }

    static void assertSameBytes(Path expected, MemorySegment actual) throws Exception {
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(expected, StandardOpenOption.READ)) {
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            assertEquals(file.byteSize(), actual.byteSize(), "size of " + expected);
            assertEquals(-1, file.mismatch(actual), "first differing byte of " + expected);
        }
    }
}
