package io.modelcache.cluster;

import io.modelcache.client.ModelCacheClient;
import io.modelcache.loader.LoadRequest;
import io.modelcache.loader.LoadedModel;
import io.modelcache.node.ModelCacheNode;
import io.modelcache.testkit.LocalCluster;
import io.modelcache.testkit.Models;
import io.modelcache.writer.PutRequest;
import io.modelcache.writer.PutResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With two replicas a load reads around a data node that is gone; with one it fails naming what is missing. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReplicaFailoverTest {

    @Test
    void aLoadCompletesWithIdenticalBytesAfterANodeHoldingOneReplicaStops() throws Exception {
        Path model = Models.miniLmQuantized();
        try (LocalCluster cluster = LocalCluster.builder().dataNodes(3).start();
             Arena arena = Arena.ofConfined();
             FileChannel file = FileChannel.open(model, StandardOpenOption.READ)) {
            MemorySegment expected = file.map(FileChannel.MapMode.READ_ONLY, 0, file.size(), arena);
            ModelCacheClient client = cluster.client();
            PutResult.Stored twice = client.put(PutRequest.of(model, "twice").withReplicas(2))
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
            client.put(PutRequest.of(model, "once")).toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertEquals(2, twice.replicas());

            ModelCacheNode lost = cluster.nodes().get(2);
            lost.close(); // leaves the cluster; its partitions' bytes go with it

            try (LoadedModel loaded = client.load(LoadRequest.intoMemory("twice").withParallelism(4))
                .toCompletableFuture().get(60, TimeUnit.SECONDS)) {
                assertEquals(-1, expected.mismatch(loaded.file(model.getFileName().toString())));
            }
            ExecutionException failed = assertThrows(ExecutionException.class,
                () -> client.load(LoadRequest.intoMemory("once")).toCompletableFuture().get(60, TimeUnit.SECONDS));
            assertTrue(failed.getCause().getMessage().contains("could not get"), failed.getCause().getMessage());
        }
    }

    @Test
    void aPutAskingForMoreReplicasThanDataNodesIsRefusedNamingBoth() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().dataNodes(2).start()) {
            ModelCacheClient client = cluster.client();

            ExecutionException refused = assertThrows(ExecutionException.class, () -> client.put(
                PutRequest.of(Models.miniLmQuantized(), "m").withReplicas(3)).toCompletableFuture()
                .get(30, TimeUnit.SECONDS));

            assertEquals("replicas 3 exceeds the 2 data nodes up; each replica of a partition needs a node of its own, "
                + "so ask for at most 2", refused.getCause().getMessage());
        }
    }
}
