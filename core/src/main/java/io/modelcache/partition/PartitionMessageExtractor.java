package io.modelcache.partition;

import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;

/**
 * Routes partition messages with one shard per partition replica: the shard id is the entity id
 * ({@link PartitionId}, {@code name@version#partition.replica}).
 *
 * <p>Pekko's default extractor hashes entity ids onto {@code number-of-shards} shards, so replicas of one
 * partition could share a shard, and a shard moves as a whole: no allocation strategy could then keep them
 * on distinct nodes. With the entity id as shard id, {@link ReplicaAwareAllocationStrategy} sees every
 * replica as a shard of its own and which shards are replicas of one partition.
 *
 * <p>Messages travel in {@link ShardingEnvelope}s, as {@code ClusterSharding.entityRefFor} sends them. Every
 * member, data node or client proxy, must route with this extractor, which {@link PartitionEntity#init} sees
 * to: a proxy that hashed ids onto shards would ask the coordinator for shards no region hosts.
 *
 * <p>Cost: the coordinator keeps one allocation per replica (instead of at most 256), in its Distributed Data
 * state; see {@link ReplicaAwareAllocationStrategy} for what that bounds.
 */
final class PartitionMessageExtractor
    extends ShardingMessageExtractor<ShardingEnvelope<PartitionEntity.Command>, PartitionEntity.Command> {

    @Override
    public String entityId(ShardingEnvelope<PartitionEntity.Command> envelope) {
        return envelope.entityId();
    }

    @Override
    public String shardId(String entityId) {
        return entityId;
    }

    @Override
    public PartitionEntity.Command unwrapMessage(ShardingEnvelope<PartitionEntity.Command> envelope) {
        return envelope.message();
    }
}
