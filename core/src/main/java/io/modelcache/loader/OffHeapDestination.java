package io.modelcache.loader;

import io.modelcache.manifest.FileEntry;
import io.modelcache.manifest.Manifest;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A load destination in off-heap memory: one segment per file, owned by this destination's arena and freed
 * when it is closed.
 */
public final class OffHeapDestination extends LoadDestination {
    private final Arena arena;

    /** @param manifest the model whose files to make room for */
    public OffHeapDestination(Manifest manifest) {
        this(Arena.ofShared(), manifest);
    }

    private OffHeapDestination(Arena arena, Manifest manifest) {
        super(allocate(arena, manifest));
        this.arena = arena;
    }

    private static MemorySegment[] allocate(Arena arena, Manifest manifest) {
        MemorySegment[] files = new MemorySegment[manifest.files().size()];
        for (int i = 0; i < files.length; i++) {
            FileEntry file = manifest.files().get(i);
            files[i] = arena.allocate(Math.max(1, file.sizeBytes()), 64).asSlice(0, file.sizeBytes());
        }
        return files;
    }

    /**
     * @return the whole file's bytes; valid until this destination is closed
     */
    public MemorySegment file(int fileIndex) {
        return segment(fileIndex);
    }

    @Override
    protected void release() {
        arena.close();
    }
}
