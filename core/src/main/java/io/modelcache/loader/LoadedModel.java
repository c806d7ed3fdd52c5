package io.modelcache.loader;

import io.modelcache.manifest.FileEntry;
import io.modelcache.manifest.Manifest;
import io.modelcache.manifest.TensorEntry;
import io.modelcache.node.TransferStrategy;

import java.lang.foreign.MemorySegment;

/**
 * A loaded model: its manifest, where its bytes are, and how the load went.
 *
 * <p>A model loaded into memory owns off-heap segments until {@link #close()}; a model loaded into a
 * directory owns nothing once returned (its files stay).
 *
 * @param manifest the model's manifest
 * @param destination where the bytes are
 * @param strategy the load strategy
 * @param parallelism the load's P: the size of its router of fetchers
 * @param bytes bytes loaded
 * @param transferSeconds time from the first chunk request to the last chunk checked
 * @param verifySeconds time spent checking SHA-256 (0 when not asked for)
 * @param seconds the whole load, manifest lookup included
 */
public record LoadedModel(Manifest manifest, LoadDestination destination, TransferStrategy strategy,
                          int parallelism, long bytes,
                          double transferSeconds, double verifySeconds, double seconds) implements AutoCloseable {

    /** @return bytes per second over the whole load, in MB/s (10^6 bytes) */
    public double megabytesPerSecond() {
        return seconds > 0 ? bytes / seconds / 1e6 : 0;
    }

    /**
     * @param path a file's path as the manifest names it
     * @return the file's bytes in memory
     * @throws IllegalArgumentException if there is no such file
     * @throws IllegalStateException if the model was loaded into a directory
     */
    public MemorySegment file(String path) {
        return segment(indexOf(path));
    }

    /**
     * @param name a tensor's name
     * @return the tensor's bytes in memory
     * @throws IllegalArgumentException if there is no such tensor
     */
    public MemorySegment tensor(String name) {
        for (TensorEntry tensor : manifest.tensors()) {
            if (tensor.name().equals(name)) {
                return segment(tensor.fileIndex()).asSlice(tensor.offsetBytes(), tensor.lengthBytes());
            }
        }
        throw new IllegalArgumentException("model " + manifest.modelId() + " has no tensor '" + name + "'");
    }

    private int indexOf(String path) {
        for (int i = 0; i < manifest.files().size(); i++) {
            FileEntry file = manifest.files().get(i);
            if (file.path().equals(path)) {
                return i;
            }
        }
        throw new IllegalArgumentException("model " + manifest.modelId() + " has no file '" + path + "'");
    }

    private MemorySegment segment(int fileIndex) {
        if (destination instanceof FileDestination) {
            throw new IllegalStateException("model " + manifest.modelId() + " was loaded into files, not memory");
        }
        return destination.segment(fileIndex);
    }

    /** Frees the model's memory. */
    @Override
    public void close() {
        destination.close();
    }
}
