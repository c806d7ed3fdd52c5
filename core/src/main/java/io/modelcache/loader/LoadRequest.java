package io.modelcache.loader;

import io.modelcache.node.TransferStrategy;
import io.modelcache.writer.ProgressListener;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

/**
 * What to load, and where.
 *
 * @param name the model's name
 * @param strategy how many requests to keep in flight; {@code null} takes {@code modelcache.loader.strategy}
 * @param parallelism the bounded strategy's P, the size of the router of fetchers; 0 takes
 *     {@code modelcache.loader.parallelism}
 * @param outputDirectory where to write the model's files; {@code null} loads into off-heap memory
 * @param segments caller-owned segments to load the files into, one per file in manifest order; {@code null}
 *     lets the load allocate its own
 * @param verifySha256 whether to check every file's SHA-256 before reporting success
 * @param progress told the bytes loaded so far; may be {@code null}
 */
public record LoadRequest(String name, TransferStrategy strategy, int parallelism, Path outputDirectory,
                          List<MemorySegment> segments, boolean verifySha256, ProgressListener progress) {

    /** A request that allocates its own memory or writes files. */
    public LoadRequest(String name, TransferStrategy strategy, int parallelism, Path outputDirectory,
                       boolean verifySha256, ProgressListener progress) {
        this(name, strategy, parallelism, outputDirectory, null, verifySha256, progress);
    }

    /**
     * A load into off-heap memory with the configured parallelism. Every chunk's CRC32C is checked; whole files'
     * SHA-256 only when asked for with {@link #withSha256Check(boolean)}, since it costs about 0.1 s per 100 MB.
     */
    public static LoadRequest intoMemory(String name) {
        return new LoadRequest(name, null, 0, null, false, null);
    }

    /**
     * A load into segments the caller allocated, one per file of the model in manifest order, each at least
     * as large as its file; the caller may reuse them across loads. Closing the loaded model frees nothing.
     */
    public static LoadRequest intoSegments(String name, List<MemorySegment> segments) {
        return new LoadRequest(name, null, 0, null, List.copyOf(segments), false, null);
    }

    /** @return this request checking (or not) every file's SHA-256 before it reports success */
    public LoadRequest withSha256Check(boolean check) {
        return new LoadRequest(name, strategy, parallelism, outputDirectory, segments, check, progress);
    }

    /** @return this request with another strategy */
    public LoadRequest withStrategy(TransferStrategy newStrategy) {
        return new LoadRequest(name, newStrategy, parallelism, outputDirectory, segments, verifySha256, progress);
    }

    /** @return this request with another parallelism */
    public LoadRequest withParallelism(int newParallelism) {
        return new LoadRequest(name, strategy, newParallelism, outputDirectory, segments, verifySha256, progress);
    }

    /** @return this request writing files into {@code directory} */
    public LoadRequest toDirectory(Path directory) {
        return new LoadRequest(name, strategy, parallelism, directory, null, verifySha256, progress);
    }

    /** @return this request reporting progress to {@code listener} */
    public LoadRequest withProgress(ProgressListener listener) {
        return new LoadRequest(name, strategy, parallelism, outputDirectory, segments, verifySha256, listener);
    }
}
