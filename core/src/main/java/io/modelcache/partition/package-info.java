/**
 * The partition entity: one Cluster Sharding entity per replica of a partition of a model, holding its chunks
 * off-heap, and how sharding places it: {@link io.modelcache.partition.PartitionId} names a replica
 * ({@code name@version#partition.replica}), that name is also its shard, and the allocation strategy keeps the
 * replicas of one partition on distinct data nodes and never moves a shard.
 *
 * <p>Writers and loaders first {@link io.modelcache.partition.PartitionEntity.Locate} an entity through
 * sharding, then talk to the entity's own reference, so chunk bytes travel as plain Artery messages on the
 * large-message stream instead of inside sharding envelopes (which would copy them onto the heap).
 *
 * <p>Threading: an entity is an actor; its chunks are read by Artery's threads while it serves, which is
 * why {@link io.modelcache.store.StoredChunk} locks around release. The allocation strategy is called by the
 * shard coordinator actor only.
 */
package io.modelcache.partition;
