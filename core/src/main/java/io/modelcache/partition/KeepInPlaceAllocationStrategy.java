package io.modelcache.partition;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

import java.util.Comparator;
import java.util.Map;
import java.util.Set;

/**
 * Allocates a new shard to the data node's region that holds the fewest shards, and never rebalances.
 *
 * <p>Partitions hold their bytes in memory only, so moving a shard to balance counts would empty it. Pekko's
 * least-shard strategy rebalances when nodes join; this one keeps every shard where it started until its
 * node leaves. Replicas on distinct nodes and byte-aware spreading come with the placement work.
 */
final class KeepInPlaceAllocationStrategy extends ShardCoordinator.AbstractShardAllocationStrategy {

    @Override
    public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
                                          Map<ActorRef, IndexedSeq<String>> currentShardAllocations) {
        ActorRef region = currentShardAllocations.entrySet().stream()
            .min(Comparator.<Map.Entry<ActorRef, IndexedSeq<String>>>comparingInt(entry -> entry.getValue().size())
                .thenComparing(entry -> entry.getKey().path().address().toString()))
            .map(Map.Entry::getKey)
            .orElse(requester);
        return Future.successful(region);
    }

    @Override
    public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> currentShardAllocations,
                                         Set<String> rebalanceInProgress) {
        return Future.successful(Set.of());
    }
}
