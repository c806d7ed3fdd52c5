/**
 * The partition entity: one Cluster Sharding entity per partition of a model, holding its chunks off-heap.
 *
 * <p>Writers and loaders first {@link io.modelcache.partition.PartitionEntity.Locate} an entity through
 * sharding, then talk to the entity's own reference, so chunk bytes travel as plain Artery messages on the
 * large-message stream instead of inside sharding envelopes (which would copy them onto the heap).
 *
 * <p>Threading: an entity is an actor; its chunks are read by Artery's threads while it serves, which is
 * why {@link io.modelcache.store.StoredChunk} locks around release.
 */
package io.modelcache.partition;
