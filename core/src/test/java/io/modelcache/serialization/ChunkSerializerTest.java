package io.modelcache.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcache.loader.OffHeapDestination;
import io.modelcache.manifest.FileEntry;
import io.modelcache.manifest.Manifest;
import io.modelcache.manifest.ModelState;
import io.modelcache.node.NodeRuntime;
import io.modelcache.node.TestMembers;
import io.modelcache.partition.PartitionEntity.ChunkData;
import io.modelcache.partition.PartitionEntity.StoreChunk;
import io.modelcache.partition.PartitionEntity.StoreReply;
import io.modelcache.store.NodeStore;
import io.modelcache.store.StoredChunk;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Chunk messages between off-heap segments and Artery-style buffers on a data member: bytes land in the
 * node's store or in a load's destination, refusals name their numbers, and frames that lie are refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChunkSerializerTest {
    private static final int CHUNK_BYTES = 128 * 1024;
    private static final long BUDGET_BYTES = 1024 * 1024;

    private ActorTestKit testKit;
    private ChunkSerializer serializer;
    private NodeStore store;
    private ActorRef<StoreReply> replyTo;
    private final Arena arena = Arena.ofShared();

    @BeforeAll
    void startMember() {
        testKit = ActorTestKit.create(TestMembers.dataMember("modelcache.node.memory-budget = " + BUDGET_BYTES));
        serializer = chunkSerializerOf(testKit);
        store = NodeRuntime.get(testKit.system()).store();
        replyTo = testKit.<StoreReply>createTestProbe().ref();
    }

    @AfterEach
    void storeIsEmptyAgain() {
        assertEquals(0, store.usedBytes(), "a test left chunks in the node's store");
    }

    @AfterAll
    void stopMember() {
        testKit.shutdownTestKit();
        arena.close();
    }

    @Test
    void bindsChunkMessagesToChunkSerializer() {
        var serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
        StoreChunk storeChunk = StoreChunk.of(1, 0, patterned(16), replyTo);
        ChunkData chunkData = new ChunkData(1, 2, 0, 0, 0, null, false);

        assertEquals(ChunkSerializer.IDENTIFIER, serialization.findSerializerFor(storeChunk).identifier());
        assertEquals(ChunkSerializer.IDENTIFIER, serialization.findSerializerFor(chunkData).identifier());
    }

    @Test
    void storeChunkLandsInNodeStore() {
        MemorySegment bytes = patterned(CHUNK_BYTES);
        StoreChunk sent = StoreChunk.of(7, StoredChunk.crc32c(bytes), bytes, replyTo);

        StoreChunk received = (StoreChunk) serializer.fromBinary(framed(sent), serializer.manifest(sent));

        try {
            assertNotNull(received.received(), received::refusal);
            assertNull(received.refusal());
            assertNull(received.source());
            assertEquals(7, received.chunkId());
            assertEquals(CHUNK_BYTES, received.lengthBytes());
            assertEquals(sent.crc32c(), received.crc32c());
            assertEquals(sent.crc32c(), received.received().crc32c());
            assertEquals(replyTo, received.replyTo());
            assertEquals(CHUNK_BYTES, store.usedBytes());
        } finally {
            release(received);
        }
    }

    @Test
    void storeChunkOverBudgetIsRefusedNamingTheNumbers() {
        ActorTestKit small = ActorTestKit.create(TestMembers.dataMember("modelcache.node.memory-budget = 64 KiB"));
        try {
            ChunkSerializer smallSerializer = chunkSerializerOf(small);
            MemorySegment bytes = patterned(CHUNK_BYTES);
            StoreChunk sent = StoreChunk.of(3, StoredChunk.crc32c(bytes), bytes, replyTo);

            StoreChunk received = (StoreChunk) smallSerializer.fromBinary(framed(sent), "S");

            assertNull(received.received());
            assertNotNull(received.refusal());
            assertTrue(received.refusal().contains("holding 0 of 65536 bytes"), received::refusal);
            assertTrue(received.refusal().contains("chunk of 131072 bytes"), received::refusal);
            assertEquals(0, NodeRuntime.get(small.system()).store().usedBytes());
        } finally {
            small.shutdownTestKit();
        }
    }

    @Test
    void storeChunkOnMemberWithoutDataRoleIsRefused() {
        ActorTestKit client = ActorTestKit.create(TestMembers.dataMember("pekko.cluster.roles = [client]"));
        try {
            MemorySegment bytes = patterned(1024);
            StoreChunk sent = StoreChunk.of(3, StoredChunk.crc32c(bytes), bytes, replyTo);

            StoreChunk received = (StoreChunk) chunkSerializerOf(client).fromBinary(framed(sent), "S");

            assertNull(received.received());
            assertTrue(received.refusal().contains("is not a data node"), received::refusal);
        } finally {
            client.shutdownTestKit();
        }
    }

    @Test
    void chunkDataLandsInRegisteredDestinationAtItsOffset() {
        NodeStore sender = new NodeStore(BUDGET_BYTES);
        StoredChunk chunk = storedCopy(sender, patterned(CHUNK_BYTES));
        try (OffHeapDestination destination = new OffHeapDestination(twoFiles())) {
            long loadId = NodeRuntime.get(testKit.system()).register(destination);
            ChunkData sent = new ChunkData(loadId, 4, 1, 4096, CHUNK_BYTES, chunk, false);

            ChunkData received = (ChunkData) serializer.fromBinary(framed(sent), serializer.manifest(sent));

            NodeRuntime.get(testKit.system()).unregister(loadId);
            assertTrue(received.landed());
            assertNull(received.source());
            assertEquals(new ChunkData(loadId, 4, 1, 4096, CHUNK_BYTES, null, true), received);
            assertEquals(chunk.crc32c(), destination.crc32c(1, 4096, CHUNK_BYTES));
            assertEquals(0, destination.file(1).get(ValueLayout.JAVA_BYTE, 4095));
            assertEquals(0, destination.file(1).get(ValueLayout.JAVA_BYTE, 4096 + CHUNK_BYTES));
            assertEquals(zeroCrc(1000), destination.crc32c(0, 0, 1000));
        } finally {
            chunk.release();
        }
    }

    @Test
    void chunkDataForUnknownLoadWritesNothing() {
        NodeStore sender = new NodeStore(BUDGET_BYTES);
        StoredChunk chunk = storedCopy(sender, patterned(CHUNK_BYTES));
        try (OffHeapDestination destination = new OffHeapDestination(twoFiles())) {
            long loadId = NodeRuntime.get(testKit.system()).register(destination);
            NodeRuntime.get(testKit.system()).unregister(loadId);
            ChunkData sent = new ChunkData(loadId, 4, 1, 0, CHUNK_BYTES, chunk, false);

            ChunkData received = (ChunkData) serializer.fromBinary(framed(sent), "D");

            assertFalse(received.landed());
            assertEquals(zeroCrc(300 * 1024), destination.crc32c(1, 0, 300 * 1024));
        } finally {
            chunk.release();
        }
    }

    @Test
    void rejectsChunkDataLandingOutsideItsFile() {
        StoredChunk chunk = storedCopy(new NodeStore(BUDGET_BYTES), patterned(CHUNK_BYTES));
        try (OffHeapDestination destination = new OffHeapDestination(twoFiles())) {
            long loadId = NodeRuntime.get(testKit.system()).register(destination);
            ByteBuffer frame = framed(new ChunkData(loadId, 4, 1, 200 * 1024, CHUNK_BYTES, chunk, false));

            IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                () -> serializer.fromBinary(frame, "D"));

            NodeRuntime.get(testKit.system()).unregister(loadId);
            assertEquals("range of 131072 bytes at offset 204800 falls outside file 1 of 307200 bytes",
                refusal.getMessage());
            assertEquals(zeroCrc(300 * 1024), destination.crc32c(1, 0, 300 * 1024));
        } finally {
            chunk.release();
        }
    }

    @Test
    void storeChunkRoundTripsThroughHeapBytes() {
        MemorySegment bytes = patterned(4096);
        StoreChunk sent = StoreChunk.of(9, StoredChunk.crc32c(bytes), bytes, replyTo);

        byte[] frame = serializer.toBinary(sent);
        StoreChunk received = (StoreChunk) serializer.fromBinary(frame, "S");

        try {
            assertEquals(24 + pathBytes(replyTo) + 4096, frame.length);
            assertEquals(sent.crc32c(), received.received().crc32c());
            assertEquals(replyTo, received.replyTo());
            assertEquals(4096, store.usedBytes());
        } finally {
            release(received);
        }
    }

    @Test
    void chunkDataRoundTripsThroughHeapBytes() {
        StoredChunk chunk = storedCopy(new NodeStore(BUDGET_BYTES), patterned(1000));
        try (OffHeapDestination destination = new OffHeapDestination(twoFiles())) {
            long loadId = NodeRuntime.get(testKit.system()).register(destination);

            byte[] frame = serializer.toBinary(new ChunkData(loadId, 0, 0, 0, 1000, chunk, false));
            ChunkData received = (ChunkData) serializer.fromBinary(frame, "D");

            NodeRuntime.get(testKit.system()).unregister(loadId);
            assertEquals(32 + 1000, frame.length);
            assertTrue(received.landed());
            assertEquals(chunk.crc32c(), destination.crc32c(0, 0, 1000));
        } finally {
            chunk.release();
        }
    }

    @Test
    void rejectsUnknownManifest() {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
            () -> serializer.fromBinary(ByteBuffer.allocateDirect(64), "Q"));

        assertTrue(refusal.getMessage().contains("'Q'"), refusal::getMessage);
    }

    @Test
    void rejectsStoreChunkWithNegativeLength() {
        ByteBuffer frame = storeFrame(5, -1, "", 0);

        assertRefusedNaming(frame, "S", "chunk 5 length -1 bytes");
    }

    @Test
    void rejectsStoreChunkWithLengthPastFrameEnd() {
        ByteBuffer frame = storeFrame(5, 1000, "", 10);

        assertRefusedNaming(frame, "S", "needs 1000 bytes", "has 10 left");
    }

    @Test
    void rejectsStoreChunkWithLengthNearLongMaxValue() {
        String path = ActorRefResolver.get(testKit.system()).toSerializationFormat(replyTo);
        StoredChunk held = store.allocate(1);
        try {
            ByteBuffer frame = storeFrame(5, Long.MAX_VALUE, path, 10);

            assertRefusedNaming(frame, "S", String.valueOf(Long.MAX_VALUE));
            assertEquals(1, store.usedBytes());
        } finally {
            held.release();
        }
    }

    @Test
    void rejectsStoreChunkWithReplyPathOver4096Bytes() {
        ByteBuffer frame = storeFrame(5, 0, "p".repeat(4097), 0);

        assertRefusedNaming(frame, "S", "reply path length 4097 bytes");
    }

    @Test
    void rejectsStoreChunkWithNegativeReplyPathLength() {
        ByteBuffer frame = ByteBuffer.allocateDirect(64).order(ByteOrder.LITTLE_ENDIAN);
        frame.putInt(5).putLong(0).putLong(0).putInt(-3).flip();

        assertRefusedNaming(frame, "S", "reply path length -3 bytes");
    }

    @Test
    void rejectsStoreChunkHeaderCutShort() {
        ByteBuffer frame = ByteBuffer.allocateDirect(10).order(ByteOrder.LITTLE_ENDIAN);
        frame.putInt(5).putInt(0).putShort((short) 0).flip();

        assertRefusedNaming(frame, "S", "store chunk header needs 24 bytes", "has 10 left");
    }

    @Test
    void rejectsChunkDataWithNegativeLength() {
        ByteBuffer frame = dataFrame(-4096, 0);

        assertRefusedNaming(frame, "D", "chunk 2 length -4096 bytes");
    }

    @Test
    void rejectsChunkDataWithLengthPastFrameEnd() {
        ByteBuffer frame = dataFrame(Long.MAX_VALUE, 16);

        assertRefusedNaming(frame, "D", "needs " + Long.MAX_VALUE + " bytes", "has 16 left");
    }

    @Test
    void rejectsChunkDataHeaderCutShort() {
        ByteBuffer frame = ByteBuffer.allocateDirect(31);

        assertRefusedNaming(frame, "D", "chunk data header needs 32 bytes", "has 31 left");
    }

    @Test
    void refusesToSendStoreChunkLargerThanFrame() {
        MemorySegment bytes = patterned(CHUNK_BYTES);
        StoreChunk sent = StoreChunk.of(7, 0, bytes, replyTo);
        ByteBuffer frame = ByteBuffer.allocateDirect(64 * 1024);

        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
            () -> serializer.toBinary(sent, frame));

        assertTrue(refusal.getMessage().contains("pekko.remote.artery.advanced.maximum-large-frame-size"),
            refusal::getMessage);
        assertTrue(refusal.getMessage().contains("65536 bytes left"), refusal::getMessage);
        assertEquals(0, frame.position());
    }

    @Test
    void refusesToSendChunkDataLargerThanFrame() {
        StoredChunk chunk = storedCopy(new NodeStore(BUDGET_BYTES), patterned(CHUNK_BYTES));
        try {
            ChunkData sent = new ChunkData(1, 2, 0, 0, CHUNK_BYTES, chunk, false);

            IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                () -> serializer.toBinary(sent, ByteBuffer.allocateDirect(CHUNK_BYTES)));

            assertTrue(refusal.getMessage().contains("maximum-large-frame-size"), refusal::getMessage);
            assertTrue(refusal.getMessage().contains((32 + CHUNK_BYTES) + " bytes"), refusal::getMessage);
        } finally {
            chunk.release();
        }
    }

    private void assertRefusedNaming(ByteBuffer frame, String manifest, String... parts) {
        long usedBefore = store.usedBytes();

        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
            () -> serializer.fromBinary(frame, manifest));

        for (String part : parts) {
            assertTrue(refusal.getMessage().contains(part), () -> "lacks \"" + part + "\": " + refusal.getMessage());
        }
        assertEquals(usedBefore, store.usedBytes(), "a refused frame allocated node memory");
    }

    /** A StoreChunk frame as a peer would write it, with {@code payloadBytes} bytes after the header. */
    private static ByteBuffer storeFrame(int chunkId, long lengthBytes, String path, int payloadBytes) {
        byte[] pathBytes = path.getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = ByteBuffer.allocateDirect(24 + pathBytes.length + payloadBytes)
            .order(ByteOrder.LITTLE_ENDIAN);
        frame.putInt(chunkId).putLong(0).putLong(lengthBytes).putInt(pathBytes.length).put(pathBytes);
        frame.position(frame.limit());
        return frame.flip();
    }

    /** A ChunkData frame for load 1, chunk 2, file 0 at offset 0, with {@code payloadBytes} after the header. */
    private static ByteBuffer dataFrame(long lengthBytes, int payloadBytes) {
        ByteBuffer frame = ByteBuffer.allocateDirect(32 + payloadBytes).order(ByteOrder.LITTLE_ENDIAN);
        frame.putLong(1).putInt(2).putInt(0).putLong(0).putLong(lengthBytes);
        frame.position(frame.limit());
        return frame.flip();
    }

    /** Writes a message into a direct buffer the way Artery does and flips it for reading. */
    private ByteBuffer framed(Object message) {
        ByteBuffer frame = ByteBuffer.allocateDirect(CHUNK_BYTES + 64 * 1024);
        serializer.toBinary(message, frame);
        return frame.flip();
    }

    private int pathBytes(ActorRef<?> ref) {
        return ActorRefResolver.get(testKit.system()).toSerializationFormat(ref)
            .getBytes(StandardCharsets.UTF_8).length;
    }

    private MemorySegment patterned(int lengthBytes) {
        MemorySegment segment = arena.allocate(lengthBytes);
        for (int i = 0; i < lengthBytes; i++) {
            segment.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + 7));
        }
        return segment;
    }

    private static StoredChunk storedCopy(NodeStore store, MemorySegment bytes) {
        StoredChunk chunk = store.allocate(bytes.byteSize());
        chunk.fill(bytes);
        return chunk;
    }

    private static long zeroCrc(long lengthBytes) {
        try (Arena zeros = Arena.ofConfined()) {
            return StoredChunk.crc32c(zeros.allocate(lengthBytes));
        }
    }

    private static Manifest twoFiles() {
        return new Manifest("m", "v", ModelState.READY, "hash", 1, CHUNK_BYTES,
            List.of(new FileEntry("config.json", 1000, ""), new FileEntry("model.safetensors", 300 * 1024, "")),
            List.of(), List.of(), 0);
    }

    private static void release(StoreChunk message) {
        if (message.received() != null) {
            message.received().release();
        }
    }

    private static ChunkSerializer chunkSerializerOf(ActorTestKit kit) {
        Object serializer = SerializationExtension.get(Adapter.toClassic(kit.system()))
            .serializerByIdentity().apply(ChunkSerializer.IDENTIFIER);
        return assertInstanceOf(ChunkSerializer.class, serializer);
    }
}
