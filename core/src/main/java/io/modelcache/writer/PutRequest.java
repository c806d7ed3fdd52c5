package io.modelcache.writer;

import java.nio.file.Path;

/**
 * What to store.
 *
 * @param path a model file, or a directory whose regular files form the model
 * @param name the model's name, unique in the cluster
 * @param storeParallelism chunks kept in flight; 0 takes {@code modelcache.writer.parallelism}
 * @param progress told the bytes acknowledged so far; may be {@code null}
 */
public record PutRequest(Path path, String name, int storeParallelism, ProgressListener progress) {

    /** A request with the configured parallelism and no progress listener. */
    public static PutRequest of(Path path, String name) {
        return new PutRequest(path, name, 0, null);
    }
}
