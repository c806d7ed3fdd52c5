package io.modelcache.loader;

import io.modelcache.manifest.Manifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A load destination of files in a directory, each mapped into memory and written in place.
 *
 * <p>Files are created at their final size before the load starts. {@link #discard()} removes the files this
 * destination created, so a failed load leaves nothing that looks loaded.
 */
public final class FileDestination extends LoadDestination {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment[] files;
    private final List<Path> created = new ArrayList<>();

    /**
     * Creates (or truncates) every file of the model under {@code directory}.
     *
     * @throws IOException if a file cannot be created or mapped
     * @throws IllegalArgumentException if a file's path would leave {@code directory}
     */
    public FileDestination(Manifest manifest, Path directory) throws IOException {
        Path root = directory.toAbsolutePath().normalize();
        files = new MemorySegment[manifest.files().size()];
        try {
            for (int i = 0; i < files.length; i++) {
                files[i] = map(root, manifest.files().get(i).path(), manifest.files().get(i).sizeBytes());
            }
        } catch (IOException | RuntimeException e) {
            close();
            discard();
            throw e;
        }
    }

    private MemorySegment map(Path root, String relativePath, long sizeBytes) throws IOException {
        Path file = root.resolve(relativePath).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            throw new IllegalArgumentException("file path '" + relativePath + "' leaves the output directory " + root);
        }
        Files.createDirectories(file.getParent());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            created.add(file);
            if (sizeBytes == 0) {
                return MemorySegment.NULL;
            }
            channel.truncate(sizeBytes);
            channel.position(sizeBytes - 1).write(java.nio.ByteBuffer.allocate(1));
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, sizeBytes, arena);
        }
    }

    @Override
    protected MemorySegment segment(int fileIndex) {
        return files[fileIndex];
    }

    @Override
    public int fileCount() {
        return files.length;
    }

    /** Forces every mapped file's bytes to the storage device. */
    public void force() {
        for (MemorySegment file : files) {
            if (file != null && file.byteSize() > 0) {
                file.force();
            }
        }
    }

    @Override
    protected void release() {
        arena.close();
    }

    /** Deletes every file this destination created; call after {@link #close()} when a load failed. */
    public void discard() {
        for (Path file : created) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete partial file " + file, e);
            }
        }
    }
}
