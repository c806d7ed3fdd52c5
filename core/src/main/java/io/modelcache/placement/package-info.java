/**
 * Placement: which partition holds each chunk. Three strategies ({@code hash}, {@code range},
 * {@code random}, see {@link io.modelcache.placement.Placement#NAMES}); a put picks one with a partition
 * count and a seed ({@link io.modelcache.placement.PlacementChoice}). The writer records the strategy's
 * name, the partition count, the seed and each chunk's partition in the manifest, so a reader never
 * recomputes a placement. Stateless and thread-safe.
 */
package io.modelcache.placement;
