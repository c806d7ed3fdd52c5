package io.modelcache.store;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;

/**
 * One chunk's bytes in off-heap memory, accounted by its {@link NodeStore}.
 *
 * <p>Each chunk has an arena of its own so that releasing one frees its memory at once. Reads (copies out,
 * checksums) hold the read lock; {@link #release()} takes the write lock, so memory is never closed under
 * a copy that Artery is making on another thread. After release every read answers {@code false}.
 */
public final class StoredChunk {
    private final NodeStore store;
    private final Arena arena;
    private final MemorySegment segment;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean released;

    StoredChunk(NodeStore store, long lengthBytes) {
        this.store = store;
        this.arena = Arena.ofShared();
        this.segment = arena.allocate(Math.max(1, lengthBytes), 64).asSlice(0, lengthBytes);
    }

    /** @return the chunk's length in bytes */
    public long lengthBytes() {
        return segment.byteSize();
    }

    /**
     * Copies bytes into the chunk, for the one writer that fills it before it is published.
     *
     * @param source exactly {@link #lengthBytes()} bytes
     */
    public void fill(MemorySegment source) {
        if (source.byteSize() != segment.byteSize()) {
            throw new IllegalArgumentException(
                "source of " + source.byteSize() + " bytes does not match chunk of " + segment.byteSize() + " bytes");
        }
        MemorySegment.copy(source, 0, segment, 0, segment.byteSize());
    }

    /**
     * Copies the chunk into {@code target} at {@code targetOffset}.
     *
     * @return {@code false} if the chunk was released meanwhile
     */
    public boolean copyTo(MemorySegment target, long targetOffset) {
        lock.readLock().lock();
        try {
            if (released) {
                return false;
            }
            MemorySegment.copy(segment, 0, target, targetOffset, segment.byteSize());
            return true;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Copies {@code lengthBytes} of the chunk from {@code offsetBytes} into {@code target} at {@code targetOffset}.
     *
     * @return {@code false} if the chunk was released meanwhile (nothing copied)
     * @throws IndexOutOfBoundsException if the range falls outside the chunk or the target
     */
    public boolean copyTo(long offsetBytes, MemorySegment target, long targetOffset, long lengthBytes) {
        lock.readLock().lock();
        try {
            if (released) {
                return false;
            }
            MemorySegment.copy(segment, offsetBytes, target, targetOffset, lengthBytes);
            return true;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Writes {@code header} and then {@code lengthBytes} of the chunk from {@code offsetBytes} to a channel,
     * straight from off-heap memory, in as few system calls as the channel allows.
     *
     * @return {@code false} if the chunk was released meanwhile (nothing written)
     * @throws IOException if the channel fails; part of the bytes may have been written
     */
    public boolean writeTo(GatheringByteChannel channel, ByteBuffer header, long offsetBytes, long lengthBytes)
        throws IOException {
        lock.readLock().lock();
        try {
            if (released) {
                return false;
            }
            ByteBuffer[] buffers = {header, segment.asSlice(offsetBytes, lengthBytes).asByteBuffer()};
            while (buffers[0].hasRemaining() || buffers[1].hasRemaining()) { // the header alone for 0 bytes
                channel.write(buffers);
            }
            return true;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** @return the CRC32C of the chunk's bytes, or -1 if it was released */
    public long crc32c() {
        lock.readLock().lock();
        try {
            if (released) {
                return -1;
            }
            return crc32c(segment);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Frees the chunk's memory and returns its bytes to the store; later calls do nothing. */
    public void release() {
        lock.writeLock().lock();
        try {
            if (released) {
                return;
            }
            released = true;
            arena.close();
            store.released(segment.byteSize());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Computes the CRC32C of a segment in pieces of at most 1 GiB, so that segments of any size work.
     *
     * @param bytes any segment
     * @return the checksum as an unsigned 32-bit value
     */
    public static long crc32c(MemorySegment bytes) {
        CRC32C crc = new CRC32C();
        long size = bytes.byteSize();
        for (long at = 0; at < size; at += 1L << 30) {
            long length = Math.min(1L << 30, size - at);
            ByteBuffer view = bytes.asSlice(at, length).asByteBuffer();
            crc.update(view);
        }
        return crc.getValue();
    }
}
