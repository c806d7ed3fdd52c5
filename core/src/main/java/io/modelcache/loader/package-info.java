/**
 * The loader: gathers a model from its partitions into a destination.
 *
 * <p>{@link io.modelcache.loader.ModelLoader} (at {@code /user/loader}) runs one {@code LoadJob} per request
 * (at {@code /user/loader/load-N}), which sends batches of chunk requests through a round-robin pool router of
 * {@code Fetcher}s ({@code /user/loader/load-N/fetchers}); the router's size is the load parallelism P (set by
 * the load strategy), and each fetcher has one batch in flight, so at most P requests are in flight. Chunk
 * bytes land at their offsets in a {@link io.modelcache.loader.LoadDestination}; each chunk's CRC32C is checked
 * when it lands, each file's SHA-256 before the load reports success (when asked for).
 *
 * <p>Threading: actors, plus the destination's lock shared with the chunk serializer.
 */
package io.modelcache.loader;
