package io.modelcache.partition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcache.partition.PartitionEntity.ChunkData;
import io.modelcache.partition.PartitionEntity.ChunkStored;
import io.modelcache.partition.PartitionEntity.ChunkUnavailable;
import io.modelcache.partition.PartitionEntity.Command;
import io.modelcache.partition.PartitionEntity.DropPartition;
import io.modelcache.partition.PartitionEntity.FetchReply;
import io.modelcache.partition.PartitionEntity.GetChunk;
import io.modelcache.partition.PartitionEntity.GetPartitionInfo;
import io.modelcache.partition.PartitionEntity.Locate;
import io.modelcache.partition.PartitionEntity.Located;
import io.modelcache.partition.PartitionEntity.PartitionDropped;
import io.modelcache.partition.PartitionEntity.PartitionInfo;
import io.modelcache.partition.PartitionEntity.StoreChunk;
import io.modelcache.partition.PartitionEntity.StoreRefused;
import io.modelcache.partition.PartitionEntity.StoreReply;
import io.modelcache.store.NodeStore;
import io.modelcache.store.StoredChunk;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * One partition entity spawned directly on a local actor system, with chunks delivered inside the JVM
 * ({@code source} set), as a writer co-located with the entity sends them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PartitionEntityTest {
    private static final String ENTITY_ID = "m@v#0.0";
    private static final int CHUNK_BYTES = 64 * 1024;

    private ActorTestKit testKit;
    private final Arena arena = Arena.ofShared();
    private NodeStore store;
    private TestProbe<StoreReply> stores;
    private TestProbe<FetchReply> fetches;

    @BeforeAll
    void startSystem() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    void stopSystem() {
        testKit.shutdownTestKit();
        arena.close();
    }

    @BeforeEach
    void newProbes() {
        store = new NodeStore(4L * CHUNK_BYTES);
        stores = testKit.createTestProbe(StoreReply.class);
        fetches = testKit.createTestProbe(FetchReply.class);
    }

    @AfterEach
    void stopProbes() {
        stores.stop();
        fetches.stop();
    }

    @Test
    void locateAnswersWithItsOwnReference() {
        ActorRef<Command> partition = testKit.spawn(PartitionEntity.create(ENTITY_ID, store));
        TestProbe<Located> probe = testKit.createTestProbe(Located.class);

        partition.tell(new Locate(probe.ref()));

        Located located = probe.receiveMessage();
        assertEquals(ENTITY_ID, located.entityId());
        assertEquals(partition, located.partition());
        assertEquals(testKit.system().address().toString(), located.nodeAddress());
    }

    @Test
    void storesChunkAndAnswersItsChecksum() {
        ActorRef<Command> partition = testKit.spawn(PartitionEntity.create(ENTITY_ID, store));
        MemorySegment bytes = patterned(CHUNK_BYTES, 1);

        partition.tell(StoreChunk.of(3, StoredChunk.crc32c(bytes), bytes, stores.ref()));

        stores.expectMessage(new ChunkStored(3, StoredChunk.crc32c(bytes)));
        assertEquals(CHUNK_BYTES, store.usedBytes());
        assertEquals(1, store.chunkCount());
    }

    @Test
    void holdsChunkCopiedInByTheSerializerWithoutCopyingAgain() {
        ActorRef<Command> partition = testKit.spawn(PartitionEntity.create(ENTITY_ID, store));
        StoredChunk received = store.allocate(CHUNK_BYTES);
        received.fill(patterned(CHUNK_BYTES, 2));

        partition.tell(new StoreChunk(4, received.crc32c(), CHUNK_BYTES, null, received, null, stores.ref()));

        stores.expectMessage(new ChunkStored(4, received.crc32c()));
        assertEquals(CHUNK_BYTES, store.usedBytes());
    }

    @Test
    void passesOnRefusalMadeByTheSerializer() {
        ActorRef<Command> partition = testKit.spawn(PartitionEntity.create(ENTITY_ID, store));

        partition.tell(new StoreChunk(4, 0, CHUNK_BYTES, null, null, "budget full on the wire", stores.ref()));

        stores.expectMessage(new StoreRefused(4, "budget full on the wire"));
        assertEquals(0, store.usedBytes());
    }

    @Test
    void replacesChunkStoredTwiceWithoutLeaking() {
        ActorRef<Command> partition = testKit.spawn(PartitionEntity.create(ENTITY_ID, store));
        MemorySegment first = patterned(CHUNK_BYTES, 1);
        MemorySegment second = patterned(CHUNK_BYTES, 2);
        partition.tell(StoreChunk.of(5, StoredChunk.crc32c(first), first, stores.ref()));
        stores.expectMessageClass(ChunkStored.class);

        partition.tell(StoreChunk.of(5, StoredChunk.crc32c(second), second, stores.ref()));

        stores.expectMessage(new ChunkStored(5, StoredChunk.crc32c(second)));
        assertEquals(CHUNK_BYTES, store.usedBytes());
        assertEquals(1, store.chunkCount());
        assertEquals(new PartitionInfo(ENTITY_ID, address(), 1, CHUNK_BYTES), info(partition));
        assertArrayEquals(second.toArray(ValueLayout.JAVA_BYTE), fetch(partition, 5));
    }

    @Test
    void refusesChunkOverBudgetNamingTheNumbers() {
        store = new NodeStore(3L * CHUNK_BYTES / 2);
        ActorRef<Command> partition = testKit.spawn(PartitionEntity.create(ENTITY_ID, store));
        MemorySegment bytes = patterned(CHUNK_BYTES, 1);
        partition.tell(StoreChunk.of(0, StoredChunk.crc32c(bytes), bytes, stores.ref()));
        stores.expectMessageClass(ChunkStored.class);

        partition.tell(StoreChunk.of(1, StoredChunk.crc32c(bytes), bytes, stores.ref()));

        StoreRefused refused = stores.expectMessageClass(StoreRefused.class);
        assertEquals(1, refused.chunkId());
        assertTrue(refused.reason().contains("holding 65536 of 98304 bytes"), refused::reason);
        assertTrue(refused.reason().contains("chunk of 65536 bytes"), refused::reason);
        assertEquals(CHUNK_BYTES, store.usedBytes());
    }

    @Test
    void refusesChunkLargerThanWholeBudgetAllocatingNothing() {
        store = new NodeStore(CHUNK_BYTES / 2);
        ActorRef<Command> partition = testKit.spawn(PartitionEntity.create(ENTITY_ID, store));
        MemorySegment bytes = patterned(CHUNK_BYTES, 1);

        partition.tell(StoreChunk.of(0, StoredChunk.crc32c(bytes), bytes, stores.ref()));

        StoreRefused refused = stores.expectMessageClass(StoreRefused.class);
        assertTrue(refused.reason().contains("holding 0 of 32768 bytes, cannot add a chunk of 65536 bytes"),
            refused::reason);
        assertEquals(0, store.usedBytes());
        assertEquals(0, store.peakUsedBytes());
    }

    @Test
    void servesHeldChunkWithItsBytes() {
        ActorRef<Command> partition = testKit.spawn(PartitionEntity.create(ENTITY_ID, store));
        MemorySegment bytes = patterned(CHUNK_BYTES, 3);
        partition.tell(StoreChunk.of(6, StoredChunk.crc32c(bytes), bytes, stores.ref()));
        stores.expectMessageClass(ChunkStored.class);

        partition.tell(new GetChunk(77, 6, 2, 1L << 32, fetches.ref()));

        ChunkData data = (ChunkData) fetches.receiveMessage();
        assertEquals(new ChunkData(77, 6, 2, 1L << 32, CHUNK_BYTES, data.source(), false), data);
        assertEquals(StoredChunk.crc32c(bytes), data.source().crc32c());
        assertArrayEquals(bytes.toArray(ValueLayout.JAVA_BYTE), copy(data.source()));
    }

    @Test
    void answersChunkUnavailableNamingChunkAndPartition() {
        ActorRef<Command> partition = testKit.spawn(PartitionEntity.create(ENTITY_ID, store));

        partition.tell(new GetChunk(77, 9, 0, 0, fetches.ref()));

        ChunkUnavailable unavailable = (ChunkUnavailable) fetches.receiveMessage();
        assertEquals(77, unavailable.loadId());
        assertEquals(9, unavailable.chunkId());
        assertTrue(unavailable.reason().contains("partition " + ENTITY_ID), unavailable::reason);
        assertTrue(unavailable.reason().contains("chunk 9"), unavailable::reason);
    }

    @Test
    void countsChunksAndBytesInPartitionInfo() {
        ActorRef<Command> partition = testKit.spawn(PartitionEntity.create(ENTITY_ID, store));
        store(partition, 0, CHUNK_BYTES);
        store(partition, 1, 1000);
        store(partition, 2, 0);

        PartitionInfo info = info(partition);

        assertEquals(new PartitionInfo(ENTITY_ID, address(), 3, CHUNK_BYTES + 1000), info);
    }

    @Test
    void dropFreesMemoryAnswersCountsAndStops() {
        ActorRef<Command> partition = testKit.spawn(PartitionEntity.create(ENTITY_ID, store));
        store(partition, 0, CHUNK_BYTES);
        store(partition, 1, 1000);
        TestProbe<PartitionDropped> probe = testKit.createTestProbe(PartitionDropped.class);

        partition.tell(new DropPartition(probe.ref()));

        probe.expectMessage(new PartitionDropped(ENTITY_ID, 2, CHUNK_BYTES + 1000));
        probe.expectTerminated(partition, Duration.ofSeconds(5));
        assertEquals(0, store.usedBytes());
        assertEquals(0, store.chunkCount());
    }

    @Test
    void chunkServedBeforeDropIsNoLongerReadable() {
        ActorRef<Command> partition = testKit.spawn(PartitionEntity.create(ENTITY_ID, store));
        store(partition, 0, CHUNK_BYTES);
        partition.tell(new GetChunk(1, 0, 0, 0, fetches.ref()));
        StoredChunk served = ((ChunkData) fetches.receiveMessage()).source();
        TestProbe<PartitionDropped> probe = testKit.createTestProbe(PartitionDropped.class);

        partition.tell(new DropPartition(probe.ref()));
        probe.receiveMessage();

        try (Arena target = Arena.ofConfined()) {
            assertFalse(served.copyTo(target.allocate(CHUNK_BYTES), 0));
        }
    }

    @Test
    void stoppingEntityAnyOtherWayFreesMemory() {
        ActorRef<Command> partition = testKit.spawn(PartitionEntity.create(ENTITY_ID, store));
        store(partition, 0, CHUNK_BYTES);
        store(partition, 1, CHUNK_BYTES);

        testKit.stop(partition, Duration.ofSeconds(5));

        assertEquals(0, store.usedBytes());
        assertEquals(0, store.chunkCount());
    }

    private void store(ActorRef<Command> partition, int chunkId, int lengthBytes) {
        MemorySegment bytes = patterned(lengthBytes, chunkId);
        partition.tell(StoreChunk.of(chunkId, StoredChunk.crc32c(bytes), bytes, stores.ref()));
        stores.expectMessage(new ChunkStored(chunkId, StoredChunk.crc32c(bytes)));
    }

    private PartitionInfo info(ActorRef<Command> partition) {
        TestProbe<PartitionInfo> probe = testKit.createTestProbe(PartitionInfo.class);
        partition.tell(new GetPartitionInfo(probe.ref()));
        return probe.receiveMessage();
    }

    private byte[] fetch(ActorRef<Command> partition, int chunkId) {
        partition.tell(new GetChunk(1, chunkId, 0, 0, fetches.ref()));
        return copy(((ChunkData) fetches.receiveMessage()).source());
    }

    private String address() {
        return testKit.system().address().toString();
    }

    private static byte[] copy(StoredChunk chunk) {
        try (Arena target = Arena.ofConfined()) {
            MemorySegment heapBound = target.allocate(Math.max(1, chunk.lengthBytes())).asSlice(0, chunk.lengthBytes());
            assertTrue(chunk.copyTo(heapBound, 0), "chunk was released");
            return heapBound.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    private MemorySegment patterned(int lengthBytes, int seed) {
        MemorySegment segment = arena.allocate(Math.max(1, lengthBytes)).asSlice(0, lengthBytes);
        for (int i = 0; i < lengthBytes; i++) {
            segment.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + seed * 17));
        }
        return segment;
    }
}
