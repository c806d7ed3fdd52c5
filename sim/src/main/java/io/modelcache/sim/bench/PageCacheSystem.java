package io.modelcache.sim.bench;

import io.modelcache.sim.process.Workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The page cache: the values written to one temporary file, read back by each client with its own
 * {@link FileChannel} into off-heap memory. After the warm-up the file is cached, so this is a memory-to-memory
 * copy through the kernel: what a model on a local disk costs once it is warm.
 */
final class PageCacheSystem extends ReadAllSystem {
    /** Bytes per read call, as the demo reads its model file. */
    private static final int READ_BYTES = 16 << 20;

    private final Workspace workspace;
    private Path file;

    PageCacheSystem(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public String name() {
        return "page-cache";
    }

    @Override
    protected void start() throws IOException {
        file = workspace.directory().resolve("page-cache.bin");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            MemorySegment bytes = values.bytes();
            for (long offset = 0; offset < bytes.byteSize(); offset += READ_BYTES) {
                long length = Math.min(READ_BYTES, bytes.byteSize() - offset);
                var buffer = bytes.asSlice(offset, length).asByteBuffer();
                while (buffer.hasRemaining()) {
                    channel.write(buffer, offset + buffer.position());
                }
            }
        }
    }

    @Override
    protected Reader openReader(int clientIndex) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        return new Reader() {
            @Override
            public void readAll(MemorySegment destination) throws IOException {
                long size = destination.byteSize();
                for (long offset = 0; offset < size; offset += READ_BYTES) {
                    var buffer = destination.asSlice(offset, Math.min(READ_BYTES, size - offset)).asByteBuffer();
                    while (buffer.hasRemaining()) {
                        if (channel.read(buffer, offset + buffer.position()) < 0) {
                            throw new IOException(file + " ended at " + (offset + buffer.position()) + " of " + size
                                + " bytes");
                        }
                    }
                }
            }

            @Override
            public void close() {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // A read-only channel has nothing to flush; the descriptor is released either way.
                }
            }
        };
    }

    @Override
    public List<String> notes() {
        return List.of("page-cache: one temporary file, each client a FileChannel reading 16 MiB per call");
    }

    @Override
    protected void stop() {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }
}
