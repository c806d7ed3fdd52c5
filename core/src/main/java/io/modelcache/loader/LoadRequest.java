package io.modelcache.loader;

import io.modelcache.writer.ProgressListener;

import java.nio.file.Path;

/**
 * What to load, and where.
 *
 * @param name the model's name
 * @param parallelism the size of the router of fetchers; 0 takes {@code modelcache.loader.parallelism}
 * @param outputDirectory where to write the model's files; {@code null} loads into off-heap memory
 * @param verifySha256 whether to check every file's SHA-256 before reporting success
 * @param progress told the bytes loaded so far; may be {@code null}
 */
public record LoadRequest(String name, int parallelism, Path outputDirectory, boolean verifySha256,
                          ProgressListener progress) {

    /** A load into off-heap memory with the configured parallelism, checking SHA-256. */
    public static LoadRequest intoMemory(String name) {
        return new LoadRequest(name, 0, null, true, null);
    }

    /** @return this request with another parallelism */
    public LoadRequest withParallelism(int newParallelism) {
        return new LoadRequest(name, newParallelism, outputDirectory, verifySha256, progress);
    }

    /** @return this request writing files into {@code directory} */
    public LoadRequest toDirectory(Path directory) {
        return new LoadRequest(name, parallelism, directory, verifySha256, progress);
    }

    /** @return this request reporting progress to {@code listener} */
    public LoadRequest withProgress(ProgressListener listener) {
        return new LoadRequest(name, parallelism, outputDirectory, verifySha256, listener);
    }
}
