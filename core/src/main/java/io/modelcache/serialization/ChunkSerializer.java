package io.modelcache.serialization;

import io.modelcache.loader.LoadDestination;
import io.modelcache.node.NodeRuntime;
import io.modelcache.partition.PartitionEntity.ChunkData;
import io.modelcache.partition.PartitionEntity.StoreChunk;
import io.modelcache.partition.PartitionEntity.StoreReply;
import io.modelcache.store.NodeStore;
import io.modelcache.store.StoredChunk;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.ByteBufferSerializer;
import org.apache.pekko.serialization.SerializerWithStringManifest;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes chunk messages between off-heap segments and Artery's (direct) buffers, so that chunk bytes never
 * become a {@code byte[]} on the heap.
 *
 * <p>Sending copies from the chunk's segment (a mapped file on a writer, node memory on a data node) into the
 * frame. Receiving copies from the frame into the node's store ({@link StoreChunk}) or into the running
 * load's destination ({@link ChunkData}), found by load id in {@link NodeRuntime}.
 *
 * <pre>
 * StoreChunk (manifest "S"), little-endian:
 *   0  int   chunkId
 *   4  long  crc32c
 *  12  long  lengthBytes
 *  20  int   replyToLength  (at most 4096)
 *  24  byte[replyToLength] replyTo, UTF-8 actor path
 *   .  byte[lengthBytes]   chunk bytes
 *
 * ChunkData (manifest "D"), little-endian:
 *   0  long  loadId
 *   8  int   chunkId
 *  12  int   fileIndex
 *  16  long  fileOffset
 *  24  long  lengthBytes
 *  32  byte[lengthBytes]   chunk bytes
 * </pre>
 *
 * A frame whose lengths disagree with its size is refused with an exception naming both; Artery drops that
 * one message and the sender's timeout reports it.
 */
public final class ChunkSerializer extends SerializerWithStringManifest implements ByteBufferSerializer {
    /** This serializer's id among the actor system's serializers. */
    public static final int IDENTIFIER = 190_302;

    private static final String STORE_CHUNK = "S";
    private static final String CHUNK_DATA = "D";
    private static final int STORE_HEADER_BYTES = 24;
    private static final int DATA_HEADER_BYTES = 32;
    private static final int MAX_PATH_BYTES = 4096;

    private final ExtendedActorSystem system;
    private volatile ActorRefResolver resolver;

    /** @param system the actor system this serializer belongs to */
    public ChunkSerializer(ExtendedActorSystem system) {
        this.system = system;
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public String manifest(Object message) {
        return switch (message) {
            case StoreChunk ignored -> STORE_CHUNK;
            case ChunkData ignored -> CHUNK_DATA;
            default -> throw new IllegalArgumentException("not a chunk message: " + message.getClass().getName());
        };
    }

    @Override
    public void toBinary(Object message, ByteBuffer buffer) {
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        switch (message) {
            case StoreChunk store -> writeStoreChunk(store, buffer);
            case ChunkData data -> writeChunkData(data, buffer);
            default -> throw new IllegalArgumentException("not a chunk message: " + message.getClass().getName());
        }
    }

    @Override
    public Object fromBinary(ByteBuffer buffer, String manifest) {
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        return switch (manifest) {
            case STORE_CHUNK -> readStoreChunk(buffer);
            case CHUNK_DATA -> readChunkData(buffer);
            default -> throw new IllegalArgumentException("unknown chunk message manifest '" + manifest + "'");
        };
    }

    @Override
    public byte[] toBinary(Object message) {
        long length = switch (message) {
            case StoreChunk store -> store.lengthBytes() + STORE_HEADER_BYTES + MAX_PATH_BYTES;
            case ChunkData data -> data.lengthBytes() + DATA_HEADER_BYTES;
            default -> throw new IllegalArgumentException("not a chunk message: " + message.getClass().getName());
        };
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(length));
        toBinary(message, buffer);
        byte[] bytes = new byte[buffer.position()];
        buffer.flip().get(bytes);
        return bytes;
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) {
        return fromBinary(ByteBuffer.wrap(bytes), manifest);
    }

    private void writeStoreChunk(StoreChunk store, ByteBuffer buffer) {
        byte[] replyTo = resolver().toSerializationFormat(store.replyTo()).getBytes(StandardCharsets.UTF_8);
        if (replyTo.length > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("reply path of " + replyTo.length + " bytes exceeds the limit of "
                + MAX_PATH_BYTES + " bytes for chunk " + store.chunkId());
        }
        requireRoom(buffer, STORE_HEADER_BYTES + replyTo.length + store.lengthBytes(), store.chunkId());
        buffer.putInt(store.chunkId()).putLong(store.crc32c()).putLong(store.lengthBytes())
            .putInt(replyTo.length).put(replyTo);
        MemorySegment.copy(store.source(), 0, frame(buffer), 0, store.lengthBytes());
        skip(buffer, store.lengthBytes());
    }

    private StoreChunk readStoreChunk(ByteBuffer buffer) {
        requireBytes(buffer, STORE_HEADER_BYTES, "store chunk header");
        int chunkId = buffer.getInt();
        long crc32c = buffer.getLong();
        long lengthBytes = buffer.getLong();
        int pathLength = buffer.getInt();
        if (pathLength < 0 || pathLength > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("reply path length " + pathLength + " bytes is outside 0.."
                + MAX_PATH_BYTES + " for chunk " + chunkId);
        }
        if (lengthBytes < 0) {
            throw new IllegalArgumentException("chunk " + chunkId + " length " + lengthBytes + " bytes is negative");
        }
        requireBytes(buffer, pathLength, "reply path of chunk " + chunkId);
        // Compared against what is left after the path, never as pathLength + lengthBytes: that sum overflows
        // for a length near Long.MAX_VALUE, and the frame would pass as a refusal of an exabyte chunk.
        if (lengthBytes > buffer.remaining() - pathLength) {
            throw new IllegalArgumentException("chunk " + chunkId + " needs " + lengthBytes + " bytes after its "
                + pathLength + "-byte reply path but the frame has " + (buffer.remaining() - pathLength) + " left");
        }
        byte[] path = new byte[pathLength];
        buffer.get(path);
        ActorRef<StoreReply> replyTo = resolver().resolveActorRef(new String(path, StandardCharsets.UTF_8));
        return receive(chunkId, crc32c, lengthBytes, buffer, replyTo);
    }

    private StoreChunk receive(int chunkId, long crc32c, long lengthBytes, ByteBuffer buffer,
                               ActorRef<StoreReply> replyTo) {
        NodeStore store = NodeRuntime.get(system).store();
        StoredChunk chunk = store == null ? null : store.allocate(lengthBytes);
        if (chunk == null) {
            skip(buffer, lengthBytes);
            String refusal = store == null
                ? "member " + system.provider().getDefaultAddress() + " is not a data node"
                : "node " + system.provider().getDefaultAddress() + " memory budget is full: holding "
                    + store.usedBytes() + " of " + store.budgetBytes() + " bytes, cannot add a chunk of "
                    + lengthBytes + " bytes";
            return new StoreChunk(chunkId, crc32c, lengthBytes, null, null, refusal, replyTo);
        }
        chunk.fill(frame(buffer).asSlice(0, lengthBytes));
        skip(buffer, lengthBytes);
        return new StoreChunk(chunkId, crc32c, lengthBytes, null, chunk, null, replyTo);
    }

    private void writeChunkData(ChunkData data, ByteBuffer buffer) {
        requireRoom(buffer, DATA_HEADER_BYTES + data.lengthBytes(), data.chunkId());
        buffer.putLong(data.loadId()).putInt(data.chunkId()).putInt(data.fileIndex()).putLong(data.fileOffset())
            .putLong(data.lengthBytes());
        if (!data.source().copyTo(frame(buffer), 0)) {
            throw new IllegalStateException("chunk " + data.chunkId() + " was removed while being sent");
        }
        skip(buffer, data.lengthBytes());
    }

    private ChunkData readChunkData(ByteBuffer buffer) {
        requireBytes(buffer, DATA_HEADER_BYTES, "chunk data header");
        long loadId = buffer.getLong();
        int chunkId = buffer.getInt();
        int fileIndex = buffer.getInt();
        long fileOffset = buffer.getLong();
        long lengthBytes = buffer.getLong();
        if (lengthBytes < 0) {
            throw new IllegalArgumentException("chunk " + chunkId + " length " + lengthBytes + " bytes is negative");
        }
        requireBytes(buffer, lengthBytes, "chunk " + chunkId);
        LoadDestination destination = NodeRuntime.get(system).destination(loadId);
        boolean landed = destination != null
            && destination.write(fileIndex, fileOffset, frame(buffer).asSlice(0, lengthBytes));
        skip(buffer, lengthBytes);
        return new ChunkData(loadId, chunkId, fileIndex, fileOffset, lengthBytes, null, landed);
    }

    private static MemorySegment frame(ByteBuffer buffer) {
        return MemorySegment.ofBuffer(buffer);
    }

    private static void skip(ByteBuffer buffer, long lengthBytes) {
        buffer.position(buffer.position() + (int) lengthBytes);
    }

    private static void requireRoom(ByteBuffer buffer, long needed, int chunkId) {
        if (buffer.remaining() < needed) {
            throw new IllegalArgumentException("chunk " + chunkId + " message of " + needed + " bytes exceeds the "
                + buffer.remaining() + " bytes left in the frame; raise "
                + "pekko.remote.artery.advanced.maximum-large-frame-size or lower modelcache.chunk-size");
        }
    }

    private static void requireBytes(ByteBuffer buffer, long needed, String what) {
        if (buffer.remaining() < needed) {
            throw new IllegalArgumentException(what + " needs " + needed + " bytes but the frame has "
                + buffer.remaining() + " left");
        }
    }

    private ActorRefResolver resolver() {
        ActorRefResolver current = resolver;
        if (current == null) {
            current = ActorRefResolver.get(Adapter.toTyped(system));
            resolver = current;
        }
        return current;
    }
}
