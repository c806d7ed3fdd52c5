package io.modelcache.loader;

import io.modelcache.manifest.FileEntry;
import io.modelcache.manifest.Manifest;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A load destination in segments the caller owns, one per file: the caller allocates (and may reuse) the
 * memory, so a load pays no allocation or first-touch cost; closing this destination frees nothing.
 */
final class SegmentDestination extends LoadDestination {

    /**
     * @throws IllegalArgumentException naming the file, its size and the segment's size when the segments do
     *     not fit the model's files, or when one is read-only
     */
    SegmentDestination(Manifest manifest, List<MemorySegment> segments) {
        super(fit(manifest, segments));
    }

    private static MemorySegment[] fit(Manifest manifest, List<MemorySegment> segments) {
        if (segments.size() != manifest.files().size()) {
            throw new IllegalArgumentException("model " + manifest.modelId() + " has " + manifest.files().size()
                + " files but " + segments.size() + " destination segments were given");
        }
        MemorySegment[] files = new MemorySegment[segments.size()];
        for (int i = 0; i < files.length; i++) {
            FileEntry file = manifest.files().get(i);
            MemorySegment segment = segments.get(i);
            if (segment.byteSize() < file.sizeBytes() || segment.isReadOnly()) {
                throw new IllegalArgumentException("file " + file.path() + " needs a writable segment of "
                    + file.sizeBytes() + " bytes; the one given has " + segment.byteSize() + " bytes"
                    + (segment.isReadOnly() ? " and is read-only" : ""));
            }
            files[i] = segment.asSlice(0, file.sizeBytes());
        }
        return files;
    }

    @Override
    protected void release() {
        // the caller owns the memory
    }
}
