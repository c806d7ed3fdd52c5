package io.modelcache.loader;

/** The answer to a load. */
public sealed interface LoadResult {

    /** The model is loaded and every chunk (and, when asked, every file) checked. */
    record Loaded(LoadedModel model) implements LoadResult {
    }

    /**
     * The load failed; its destination is freed, and files it created are deleted.
     *
     * @param reason one line: what was wrong, naming the chunks that could not be had
     */
    record Failed(String reason) implements LoadResult {
    }
}
