package io.modelcache.partition;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.dispatch.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Allocates the shard of a partition replica to a data node that holds no other replica of the same
 * partition, the least loaded of those; never rebalances.
 *
 * <p><b>The rule.</b> Each shard is one replica ({@link PartitionMessageExtractor}), so a region's shard ids
 * say which replicas it holds. A region is a candidate for {@code name@version#p.r} when none of its shards
 * starts with {@code name@version#p.} ({@link PartitionId#siblingPrefix()}). Among candidates the one with
 * the fewest shards wins; ties go to the smaller region path, so one coordinator decides the same way every
 * time. When no region is a candidate (three replicas and only two data nodes left) the shard is not placed:
 * the returned future fails, the coordinator answers nothing, and the region asking retries every
 * {@code pekko.cluster.sharding.retry-interval} for as long as it buffers messages for the shard, so the
 * replica lands on the first node that joins. Co-locating would be worse: the replica would then share the
 * fate of its sibling, and since shards never move it would stay there. This strategy warns once per waiting
 * shard; the coordinator itself logs each failed attempt at error.
 *
 * <p><b>Load and bytes.</b> The load of a region is its shard count. The partitions of one model hold about
 * equal bytes (placement spreads a model's chunks over them; hash placement is random-like, so a partition
 * expecting n chunks holds about n ± √n), so counting shards spreads each model's bytes about evenly. It falls
 * short when models differ in partition size: a node holding the partitions of a 100 GB model holds far more
 * bytes than one holding as many partitions of a 1 GB model, and nothing here sees that. It also counts shards
 * whose entities were dropped: Pekko keeps a shard allocated after its last entity stops, until its node
 * leaves. Spreading bytes exactly needs the partition's size at allocation time, which the coordinator does
 * not pass. The choice is greedy and final, so an unlucky arrival order (the lightest region holding a sibling
 * of each shard that comes next) can leave counts a few shards apart.
 *
 * <p><b>Never rebalancing.</b> Partitions hold their bytes in memory only, so moving a shard empties it. A
 * node that joins takes new shards (it has the fewest) and the replicas orphaned by a node that left, and
 * nothing else; shards stay where they started until their node leaves. The coordinator offers only regions
 * that have registered, which a node's region does a moment after the node is up.
 *
 * <p><b>Cost.</b> Each allocation compares the prefix of every allocated shard id once, O(shards). The
 * coordinator keeps every allocation in one Distributed Data value that it rewrites on each allocation, so
 * the number of replicas allocated at once is bounded by what that value can carry (see ARCHITECTURE.md,
 * "Known limits").
 *
 * <p>Threading: only the coordinator actor calls, one call at a time; {@link PartitionEntity#init} gives each
 * member its own instance.
 */
final class ReplicaAwareAllocationStrategy extends ShardCoordinator.AbstractShardAllocationStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaAwareAllocationStrategy.class);

    /** Shards refused since their last allocation, so each is warned about once; one that is never placed stays. */
    private final Set<String> shardsWaitingForNode = new HashSet<>();

    @Override
    public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
                                          Map<ActorRef, IndexedSeq<String>> currentShardAllocations) {
        String siblingPrefix = siblingPrefixOf(shardId);
        ActorRef chosen = null;
        int chosenLoad = Integer.MAX_VALUE;
        for (Map.Entry<ActorRef, IndexedSeq<String>> entry : currentShardAllocations.entrySet()) {
            IndexedSeq<String> shards = entry.getValue();
            int load = shards.size();
            boolean isPreferred = chosen == null || load < chosenLoad
                || load == chosenLoad && pathOf(entry.getKey()).compareTo(pathOf(chosen)) < 0;
            if (isPreferred && !holdsSibling(shards, siblingPrefix, shardId)) {
                chosen = entry.getKey();
                chosenLoad = load;
            }
        }

        if (chosen == null) {
            return refuse(shardId, currentShardAllocations.size());
        }
        if (shardsWaitingForNode.remove(shardId)) {
            LOG.info("Shard allocated after waiting for a data node without its siblings [shard={}, region={}]",
                shardId, chosen.path());
        }
        return Future.successful(chosen);
    }

    @Override
    public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> currentShardAllocations,
                                         Set<String> rebalanceInProgress) {
        return Future.successful(Set.of());
    }

    private static String pathOf(ActorRef region) {
        return region.path().toString();
    }

    /** @return the prefix of the ids of the other replicas, or {@code null} for a shard that is not a replica */
    private static String siblingPrefixOf(String shardId) {
        try {
            return PartitionId.parse(shardId).siblingPrefix();
        } catch (IllegalArgumentException e) {
            // Only ids built by Manifest reach here; a malformed one still gets a home, or its messages would
            // stay buffered forever. It has no siblings to avoid.
            LOG.warn("Shard id is not a partition replica id; allocating it by load alone [shard={}, reason={}]",
                shardId, e.getMessage());
            return null;
        }
    }

    private static boolean holdsSibling(IndexedSeq<String> shards, String siblingPrefix, String shardId) {
        if (siblingPrefix == null) {
            return false;
        }
        for (int i = 0, n = shards.size(); i < n; i++) {
            String shard = shards.apply(i);
            if (shard.startsWith(siblingPrefix) && !shard.equals(shardId)) {
                return true;
            }
        }
        return false;
    }

    private Future<ActorRef> refuse(String shardId, int regions) {
        String reason = "every data node holds a replica of the partition of shard " + shardId + " (" + regions
            + " data nodes); it waits for a node to join";
        if (shardsWaitingForNode.add(shardId)) {
            LOG.warn("Shard not allocated: every data node holds another replica of its partition; it waits for a "
                + "node to join [shard={}, dataNodes={}]", shardId, regions);
        }
        return Futures.failed(new NoNodeWithoutSiblingException(reason));
    }

    /** Why a replica was not placed; without a stack trace, since the coordinator logs it on every retry. */
    static final class NoNodeWithoutSiblingException extends RuntimeException {
        NoNodeWithoutSiblingException(String message) {
            super(message, null, false, false);
        }
    }
}
