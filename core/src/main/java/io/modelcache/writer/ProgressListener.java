package io.modelcache.writer;

/**
 * Told how far long work has come. Called from an actor's thread: implementations must be quick and
 * thread-safe.
 */
@FunctionalInterface
public interface ProgressListener {
    /**
     * @param doneBytes bytes done so far
     * @param totalBytes bytes in all
     */
    void progressed(long doneBytes, long totalBytes);
}
