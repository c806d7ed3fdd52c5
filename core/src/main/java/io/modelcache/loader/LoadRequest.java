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

    /**
     * A load into off-heap memory with the configured parallelism. Every chunk's CRC32C is checked; whole files'
     * SHA-256 only when asked for with {@link #withSha256Check(boolean)}, since it costs about 0.1 s per 100 MB.
     */
    public static LoadRequest intoMemory(String name) {
        return new LoadRequest(name, 0, null, false, null);
    }

    /** @return this request checking (or not) every file's SHA-256 before it reports success */
    public LoadRequest withSha256Check(boolean check) {
        return new LoadRequest(name, parallelism, outputDirectory, check, progress);
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
