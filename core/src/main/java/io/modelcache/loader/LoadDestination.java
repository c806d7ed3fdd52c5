package io.modelcache.loader;

import io.modelcache.store.StoredChunk;

import java.lang.foreign.MemorySegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Where a load puts the model's bytes: one segment per file, written at each chunk's offset.
 *
 * <p>Chunks arrive on Artery's threads (the chunk serializer copies straight from the frame into place) and
 * on fetcher threads (chunks delivered inside one JVM). Writes hold the read lock, {@link #close()} the
 * write lock, so memory is never unmapped or freed under a copy; a write after close answers
 * {@code false} and changes nothing.
 */
public abstract class LoadDestination implements AutoCloseable {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final MemorySegment[] files;
    private boolean closed;

    /** @param files one segment per file of the model, in manifest order, each exactly the file's size */
    protected LoadDestination(MemorySegment[] files) {
        this.files = files;
    }

    /**
     * @param fileIndex index of the file in the manifest
     * @return the whole file's segment
     */
    protected final MemorySegment segment(int fileIndex) {
        return files[fileIndex];
    }

    /** @return how many files the destination holds */
    public final int fileCount() {
        return files.length;
    }

    /** Frees or unmaps the memory; called once, under the write lock. */
    protected abstract void release();

    /**
     * Copies {@code source} to {@code fileOffset} of file {@code fileIndex}.
     *
     * @return {@code false} if the destination is closed
     * @throws IllegalArgumentException if the range falls outside the file
     */
    public final boolean write(int fileIndex, long fileOffset, MemorySegment source) {
        lock.readLock().lock();
        try {
            if (closed) {
                return false;
            }
            MemorySegment.copy(source, 0, target(fileIndex, fileOffset, source.byteSize()), 0, source.byteSize());
            return true;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Copies a chunk held in this JVM to {@code fileOffset} of file {@code fileIndex}.
     *
     * @return {@code false} if the destination is closed or the chunk was released
     */
    public final boolean write(int fileIndex, long fileOffset, StoredChunk chunk) {
        lock.readLock().lock();
        try {
            if (closed) {
                return false;
            }
            return chunk.copyTo(target(fileIndex, fileOffset, chunk.lengthBytes()), 0);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Reads exactly {@code lengthBytes} from a channel to {@code fileOffset} of file {@code fileIndex}.
     *
     * @return {@code false} if the destination is closed (nothing read)
     * @throws IOException if the channel fails or ends early; part of the range may have been written
     * @throws IllegalArgumentException if the range falls outside the file
     */
    public final boolean readFrom(ReadableByteChannel channel, int fileIndex, long fileOffset, long lengthBytes)
        throws IOException {
        lock.readLock().lock();
        try {
            if (closed) {
                return false;
            }
            MemorySegment range = target(fileIndex, fileOffset, lengthBytes);
            for (long at = 0; at < lengthBytes; at += 1L << 30) {
                ByteBuffer view = range.asSlice(at, Math.min(1L << 30, lengthBytes - at)).asByteBuffer();
                while (view.hasRemaining()) {
                    if (channel.read(view) < 0) {
                        throw new java.io.EOFException("stream ended after " + (at + view.position()) + " of "
                            + lengthBytes + " bytes");
                    }
                }
            }
            return true;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** @return the CRC32C of a range of one file, or -1 if the destination is closed */
    public final long crc32c(int fileIndex, long fileOffset, long lengthBytes) {
        lock.readLock().lock();
        try {
            return closed ? -1 : StoredChunk.crc32c(target(fileIndex, fileOffset, lengthBytes));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * @return the SHA-256 of one whole file as lower-case hex
     * @throws IllegalStateException if the destination is closed
     */
    public final String sha256Hex(int fileIndex) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("load destination is closed");
            }
            return sha256Hex(segment(fileIndex));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Frees the destination's memory; later writes answer {@code false}. Calling it again does nothing. */
    @Override
    public final void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                release();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private MemorySegment target(int fileIndex, long fileOffset, long lengthBytes) {
        if (fileIndex < 0 || fileIndex >= fileCount()) {
            throw new IllegalArgumentException("file index " + fileIndex + " is outside 0.." + (fileCount() - 1));
        }
        MemorySegment file = segment(fileIndex);
        if (fileOffset < 0 || lengthBytes < 0 || fileOffset > file.byteSize() - lengthBytes) {
            throw new IllegalArgumentException("range of " + lengthBytes + " bytes at offset " + fileOffset
                + " falls outside file " + fileIndex + " of " + file.byteSize() + " bytes");
        }
        return file.asSlice(fileOffset, lengthBytes);
    }

    /**
     * Computes the SHA-256 of a segment of any size, in pieces of at most 1 GiB.
     *
     * @return lower-case hex
     */
    public static String sha256Hex(MemorySegment bytes) {
        MessageDigest digest = sha256();
        long size = bytes.byteSize();
        for (long at = 0; at < size; at += 1L << 30) {
            ByteBuffer view = bytes.asSlice(at, Math.min(1L << 30, size - at)).asByteBuffer();
            digest.update(view);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }
}
