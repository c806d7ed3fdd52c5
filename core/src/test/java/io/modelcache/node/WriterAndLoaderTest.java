package io.modelcache.node;

import com.typesafe.config.ConfigFactory;
import io.modelcache.loader.LoadRequest;
import io.modelcache.loader.LoadResult;
import io.modelcache.loader.ModelLoader;
import io.modelcache.manifest.Manifest;
import io.modelcache.manifest.ManifestRegistry;
import io.modelcache.manifest.ModelState;
import io.modelcache.partition.PartitionEntity;
import io.modelcache.writer.ModelWriter;
import io.modelcache.writer.PutRequest;
import io.modelcache.writer.PutResult;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writer and the loader, spawned with the ActorTestKit on a one-node cluster, talked to with probes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WriterAndLoaderTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static ActorTestKit testKit;
    private static ActorRef<ManifestRegistry.Command> registry;
    private static ActorRef<ModelWriter.Command> writer;
    private static ActorRef<ModelLoader.Command> loader;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void startOneNodeCluster() throws Exception {
        testKit = ActorTestKit.create("modelcache", ModelCacheNode.layered(ConfigFactory.parseString(
            "pekko.remote.artery.canonical.port = 0\npekko.cluster.roles = [data]\nmodelcache.chunk-size = 16KiB")));
        Cluster cluster = Cluster.get(testKit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        NodeRuntime runtime = NodeRuntime.get(testKit.system());
        runtime.startDataServer("127.0.0.1");
        PartitionEntity.init(ClusterSharding.get(testKit.system()), runtime.store());
        registry = testKit.spawn(ManifestRegistry.create(Duration.ofSeconds(3)), "registry");
        writer = testKit.spawn(ModelWriter.create(registry, runtime.settings()), "writer");
        loader = testKit.spawn(ModelLoader.create(registry, runtime.settings()), "loader");
        TestProbe<Object> probe = testKit.createTestProbe();
        probe.awaitAssert(WAIT, () -> {
            assertTrue(cluster.selfMember().status().toString().equals("Up"));
            return null;
        });
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void writerStoresFileAndPublishesReadyManifest() throws Exception {
        Path file = randomFile("a.bin", 100_000);
        TestProbe<PutResult> replies = testKit.createTestProbe();

        writer.tell(new ModelWriter.Put(PutRequest.of(file, "writer-a"), replies.ref()));

        PutResult.Stored stored = assertInstanceOf(PutResult.Stored.class, replies.receiveMessage(WAIT));
        assertEquals(100_000, stored.bytes());
        assertEquals(7, stored.chunks(), "100000 bytes in 16 KiB chunks");
        Manifest manifest = find("writer-a").orElseThrow();
        assertEquals(ModelState.READY, manifest.state());
        assertEquals(stored.modelId(), manifest.modelId());
    }

    @Test
    void writerRefusesMissingPathAndInvalidNameWithoutPublishing() {
        TestProbe<PutResult> replies = testKit.createTestProbe();

        writer.tell(new ModelWriter.Put(PutRequest.of(tempDir.resolve("missing.bin"), "missing"), replies.ref()));
        PutResult.Failed missing = assertInstanceOf(PutResult.Failed.class, replies.receiveMessage(WAIT));
        writer.tell(new ModelWriter.Put(PutRequest.of(tempDir, "../etc"), replies.ref()));
        PutResult.Failed badName = assertInstanceOf(PutResult.Failed.class, replies.receiveMessage(WAIT));

        assertTrue(missing.reason().contains("missing.bin"), missing.reason());
        assertTrue(badName.reason().contains("'../etc'"), badName.reason());
        assertTrue(find("missing").isEmpty());
    }

    @Test
    void putPlacesChunksAsAskedAndEachPlacementLoadsBackByteIdentical() throws Exception {
        Path file = randomFile("e.bin", 150_000);
        TestProbe<PutResult> putReplies = testKit.createTestProbe();
        TestProbe<LoadResult> loadReplies = testKit.createTestProbe();

        writer.tell(new ModelWriter.Put(PutRequest.of(file, "placed-range").withPlacement("range").withPartitions(3),
            putReplies.ref()));
        PutResult.Stored range = assertInstanceOf(PutResult.Stored.class, putReplies.receiveMessage(WAIT));
        writer.tell(new ModelWriter.Put(PutRequest.of(file, "placed-random").withPlacement("random").withPartitions(5)
            .withPlacementSeed(77), putReplies.ref()));
        PutResult.Stored random = assertInstanceOf(PutResult.Stored.class, putReplies.receiveMessage(WAIT));
        for (String name : new String[] {"placed-range", "placed-random"}) {
            loader.tell(new ModelLoader.Load(LoadRequest.intoMemory(name).toDirectory(tempDir.resolve(name)),
                loadReplies.ref()));
            assertInstanceOf(LoadResult.Loaded.class, loadReplies.receiveMessage(WAIT));
        }

        Manifest rangeManifest = find("placed-range").orElseThrow();
        Manifest randomManifest = find("placed-random").orElseThrow();
        assertEquals(3, range.partitions());
        assertEquals("range", rangeManifest.placement());
        assertEquals("[0, 0, 0, 1, 1, 1, 2, 2, 2, 2]", rangeManifest.chunks().stream()
            .map(chunk -> chunk.partition()).toList().toString(), "10 chunks of 16 KiB in runs of 3, 3 and 4");
        assertEquals(5, random.partitions());
        assertEquals("random", randomManifest.placement());
        assertEquals(77, randomManifest.placementSeed());
        for (String name : new String[] {"placed-range", "placed-random"}) {
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(tempDir.resolve(name).resolve("e.bin")));
        }
    }

    @Test
    void putRefusesMorePartitionsThanChunksAndASeedHashDoesNotUse() throws Exception {
        Path file = randomFile("f.bin", 40_000);
        TestProbe<PutResult> replies = testKit.createTestProbe();

        writer.tell(new ModelWriter.Put(PutRequest.of(file, "too-many").withPartitions(4), replies.ref()));
        PutResult.Failed tooMany = assertInstanceOf(PutResult.Failed.class, replies.receiveMessage(WAIT));
        writer.tell(new ModelWriter.Put(PutRequest.of(file, "seeded-hash").withPlacement("hash")
            .withPlacementSeed(5), replies.ref()));
        PutResult.Failed seeded = assertInstanceOf(PutResult.Failed.class, replies.receiveMessage(WAIT));

        assertTrue(tooMany.reason().matches("partitions 4 exceeds the 3 chunks of too-many@[0-9a-f]{16}; ask for 1..3"),
            tooMany.reason());
        assertEquals("placement seed 5 is used by random placement only, not by hash", seeded.reason());
        assertTrue(find("too-many").isEmpty());
        assertTrue(find("seeded-hash").isEmpty());
    }

    @Test
    void loaderWritesFilesInPlaceByteIdentical() throws Exception {
        Path model = Files.createDirectories(tempDir.resolve("model/sub"));
        Path first = randomFile("model/one.bin", 50_000);
        Path second = randomFile("model/sub/two.bin", 33_333);
        Files.writeString(model.resolve("empty.txt"), "");
        TestProbe<PutResult> putReplies = testKit.createTestProbe();
        writer.tell(new ModelWriter.Put(PutRequest.of(tempDir.resolve("model"), "loader-a"), putReplies.ref()));
        assertInstanceOf(PutResult.Stored.class, putReplies.receiveMessage(WAIT));
        Path out = tempDir.resolve("out");
        TestProbe<LoadResult> replies = testKit.createTestProbe();

        loader.tell(new ModelLoader.Load(LoadRequest.intoMemory("loader-a").toDirectory(out).withParallelism(3),
            replies.ref()));

        LoadResult.Loaded loaded = assertInstanceOf(LoadResult.Loaded.class, replies.receiveMessage(WAIT));
        assertEquals(3, loaded.model().parallelism());
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(out.resolve("one.bin")));
        assertArrayEquals(Files.readAllBytes(second), Files.readAllBytes(out.resolve("sub/two.bin")));
        assertEquals(0, Files.size(out.resolve("sub/empty.txt")), "an empty file comes back empty");
    }

    @Test
    void loaderRefusesUnknownModelAndParallelismOutOfRange() {
        TestProbe<LoadResult> replies = testKit.createTestProbe();

        loader.tell(new ModelLoader.Load(LoadRequest.intoMemory("nothing-here"), replies.ref()));
        LoadResult.Failed unknown = assertInstanceOf(LoadResult.Failed.class, replies.receiveMessage(WAIT));
        loader.tell(new ModelLoader.Load(LoadRequest.intoMemory("nothing-here").withParallelism(-3), replies.ref()));
        LoadResult.Failed negative = assertInstanceOf(LoadResult.Failed.class, replies.receiveMessage(WAIT));
        loader.tell(new ModelLoader.Load(LoadRequest.intoMemory("nothing-here").withParallelism(5000), replies.ref()));
        LoadResult.Failed huge = assertInstanceOf(LoadResult.Failed.class, replies.receiveMessage(WAIT));

        assertEquals("model 'nothing-here' not found", unknown.reason());
        assertEquals("parallelism -3 is outside 1..1024", negative.reason());
        assertEquals("parallelism 5000 is outside 1..1024", huge.reason());
    }

    @Test
    void failedLoadIntoDirectoryLeavesNoFiles() throws Exception {
        Path file = randomFile("c.bin", 40_000);
        TestProbe<PutResult> putReplies = testKit.createTestProbe();
        writer.tell(new ModelWriter.Put(PutRequest.of(file, "loader-c"), putReplies.ref()));
        assertInstanceOf(PutResult.Stored.class, putReplies.receiveMessage(WAIT));
        TestProbe<StatusReply<ModelWriter.Removed>> removed = testKit.createTestProbe();
        Manifest manifest = find("loader-c").orElseThrow();
        dropPartitionsBehindTheRegistrysBack(manifest);
        Path out = tempDir.resolve("out-c");
        TestProbe<LoadResult> replies = testKit.createTestProbe();

        loader.tell(new ModelLoader.Load(LoadRequest.intoMemory("loader-c").toDirectory(out), replies.ref()));

        LoadResult.Failed failed = assertInstanceOf(LoadResult.Failed.class, replies.receiveMessage(WAIT));
        assertTrue(failed.reason().contains("could not get"), failed.reason());
        assertFalse(Files.exists(out.resolve("c.bin")), "a failed load leaves no file that looks loaded");
        writer.tell(new ModelWriter.Remove("loader-c", removed.ref()));
        assertTrue(removed.receiveMessage(WAIT).isSuccess());
    }

    @Test
    void loadRefusesBytesThatDoNotMatchTheManifestsChecksums() throws Exception {
        Path file = randomFile("d.bin", 60_000);
        TestProbe<PutResult> putReplies = testKit.createTestProbe();
        writer.tell(new ModelWriter.Put(PutRequest.of(file, "loader-d"), putReplies.ref()));
        assertInstanceOf(PutResult.Stored.class, putReplies.receiveMessage(WAIT));
        Manifest stored = find("loader-d").orElseThrow();
        TestProbe<LoadResult> replies = testKit.createTestProbe();

        publish(withFileSha256(stored, "00".repeat(32)));
        loader.tell(new ModelLoader.Load(LoadRequest.intoMemory("loader-d").withSha256Check(true), replies.ref()));
        LoadResult.Failed badFile = assertInstanceOf(LoadResult.Failed.class, replies.receiveMessage(WAIT));
        publish(withChunkCrc(stored, 2, stored.chunks().get(2).crc32c() ^ 1));
        loader.tell(new ModelLoader.Load(LoadRequest.intoMemory("loader-d"), replies.ref()));
        LoadResult.Failed badChunk = assertInstanceOf(LoadResult.Failed.class, replies.receiveMessage(WAIT));

        assertTrue(badFile.reason().startsWith("file d.bin has SHA-256 "), badFile.reason());
        assertTrue(badFile.reason().endsWith("expected " + "00".repeat(32)), badFile.reason());
        assertTrue(badChunk.reason().contains("chunk 2 has CRC32C"), badChunk.reason());
        publish(stored);
    }

    private static Manifest withFileSha256(Manifest manifest, String sha256Hex) {
        var file = manifest.files().getFirst();
        return new Manifest(manifest.name(), manifest.version(), manifest.state(), manifest.placement(),
            manifest.partitionCount(), manifest.chunkSizeBytes(),
            java.util.List.of(new io.modelcache.manifest.FileEntry(file.path(), file.sizeBytes(), sha256Hex)),
            manifest.tensors(), manifest.chunks(), manifest.createdAtMs());
    }

    private static Manifest withChunkCrc(Manifest manifest, int chunkId, long crc32c) {
        var chunks = new java.util.ArrayList<>(manifest.chunks());
        var chunk = chunks.get(chunkId);
        chunks.set(chunkId, new io.modelcache.manifest.ChunkEntry(chunk.fileIndex(), chunk.offsetBytes(),
            chunk.lengthBytes(), crc32c, chunk.partition()));
        return new Manifest(manifest.name(), manifest.version(), manifest.state(), manifest.placement(),
            manifest.partitionCount(), manifest.chunkSizeBytes(), manifest.files(), manifest.tensors(), chunks,
            manifest.createdAtMs());
    }

    private static void publish(Manifest manifest) {
        TestProbe<StatusReply<org.apache.pekko.Done>> ack = testKit.createTestProbe();
        registry.tell(new ManifestRegistry.Publish(manifest, ack.ref()));
        assertTrue(ack.receiveMessage(WAIT).isSuccess());
    }

    private void dropPartitionsBehindTheRegistrysBack(Manifest manifest) {
        ClusterSharding sharding = ClusterSharding.get(testKit.system());
        TestProbe<PartitionEntity.PartitionDropped> dropped = testKit.createTestProbe();
        for (int p = 0; p < manifest.partitionCount(); p++) {
            sharding.entityRefFor(PartitionEntity.TYPE_KEY, manifest.partitionEntityId(p, 0))
                .tell(new PartitionEntity.DropPartition(dropped.ref()));
            dropped.receiveMessage(WAIT);
        }
    }

    private static Optional<Manifest> find(String name) {
        TestProbe<ManifestRegistry.Found> probe = testKit.createTestProbe();
        registry.tell(new ManifestRegistry.Find(name, probe.ref()));
        return probe.receiveMessage(WAIT).manifest();
    }

    private Path randomFile(String name, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(name.hashCode()).nextBytes(bytes);
        Path file = tempDir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return file;
    }
}
