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
    private final Arena arena;
    private final List<Path> created;

    /**
     * Creates (or truncates) every file of the model under {@code directory}.
     *
     * @throws IOException if a file cannot be created or mapped
     * @throws IllegalArgumentException if a file's path would leave {@code directory}
     */
    public FileDestination(Manifest manifest, Path directory) throws IOException {
        this(Arena.ofShared(), new ArrayList<>(), manifest, directory.toAbsolutePath().normalize());
    }

    private FileDestination(Arena arena, List<Path> created, Manifest manifest, Path root) throws IOException {
        super(mapAll(arena, created, manifest, root));
        this.arena = arena;
        this.created = created;
    }

    private static MemorySegment[] mapAll(Arena arena, List<Path> created, Manifest manifest, Path root)
        throws IOException {
        MemorySegment[] files = new MemorySegment[manifest.files().size()];
        try {
            for (int i = 0; i < files.length; i++) {
                files[i] = map(arena, created, root, manifest.files().get(i).path(),
                    manifest.files().get(i).sizeBytes());
            }
            return files;
        } catch (IOException | RuntimeException e) {
            arena.close();
            delete(created);
            throw e;
        }
    }

    private static MemorySegment map(Arena arena, List<Path> created, Path root, String relativePath,
                                     long sizeBytes) throws IOException {
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
    protected void release() {
        arena.close();
    }

    /** Deletes every file this destination created; call after {@link #close()} when a load failed. */
    public void discard() {
        delete(created);
    }

    private static void delete(List<Path> files) {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete partial file " + file, e);
            }
        }
    }
}
