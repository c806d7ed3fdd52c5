/**
 * The node's off-heap memory for chunks.
 *
 * <p>{@link io.modelcache.store.NodeStore} is the one place that accounts every byte a node holds against
 * {@code modelcache.node.memory-budget}; {@link io.modelcache.store.StoredChunk} is one chunk's segment.
 *
 * <p>Threading: both are thread-safe. Partition entities allocate and release on their own dispatcher
 * threads while Artery's threads copy bytes in and out; a chunk's read/write lock keeps a release from
 * closing memory that a copy is still reading.
 */
package io.modelcache.store;
