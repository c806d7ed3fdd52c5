package io.modelcache.cluster;

import io.modelcache.client.ModelCacheClient;
import io.modelcache.node.ModelCacheNode;
import io.modelcache.partition.PartitionEntity;
import io.modelcache.partition.PartitionId;
import io.modelcache.testkit.LocalCluster;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replicas of one partition never share a data node, on a real cluster: three data nodes and a client whose
 * sharding proxy routes every request; one node leaves, another joins. Each entity reports the node it runs on.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ReplicasOnDistinctNodesTest {
    private static final String MODEL = "replicated@0123456789abcdef";
    private static final int PARTITIONS = 8;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);
    /** Long enough for a shard that can be placed to start, short enough to wait out the ones that cannot. */
    private static final Duration ORPHAN_TIMEOUT = Duration.ofSeconds(5);

    @ParameterizedTest(name = "R = {0}")
    @ValueSource(ints = {2, 3})
    void replicasStayOnDistinctNodesWhenNodeLeavesAndAnotherJoins(int replicas) throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().dataNodes(3).start()) {
            ModelCacheClient client = cluster.client();
            ClusterSharding sharding = ClusterSharding.get(client.node().system());
            List<String> ids = entityIds(0, PARTITIONS, replicas);
            for (ModelCacheNode node : cluster.nodes()) {
                awaitRegionOf(addressOf(node), cluster);
            }

            Map<String, String> nodeByEntity = nodesByEntity(sharding, ids, ANSWER_TIMEOUT);

            assertEquals(ids.size(), nodeByEntity.size(), "every replica answered: " + nodeByEntity);
            assertReplicasOnDistinctNodes(nodeByEntity, PARTITIONS, replicas);
            assertEquals(3, Set.copyOf(nodeByEntity.values()).size(), "all three nodes host replicas");

            ModelCacheNode leaving = cluster.nodes().get(2);
            String leftNode = addressOf(leaving);
            List<String> orphans = ids.stream().filter(id -> nodeByEntity.get(id).equals(leftNode)).toList();
            assertTrue(leaving.close(Duration.ofSeconds(30)), "the node left within 30 s");

            Map<String, String> afterLeave = nodesByEntity(sharding, ids, ORPHAN_TIMEOUT);

            assertReplicasOnDistinctNodes(afterLeave, PARTITIONS, replicas);
            assertFalse(afterLeave.containsValue(leftNode));
            for (String id : ids) {
                if (!orphans.contains(id)) {
                    assertEquals(nodeByEntity.get(id), afterLeave.get(id), id + " never moves");
                } else if (replicas == 2) {
                    assertTrue(afterLeave.containsKey(id), id + " found the remaining node without its sibling");
                } else {
                    assertFalse(afterLeave.containsKey(id), id + " waits: both remaining nodes hold a sibling");
                }
            }

            String joinedNode = addressOf(cluster.addDataNode());
            awaitRegionOf(joinedNode, cluster);
            Map<String, String> afterJoin = nodesByEntity(sharding, ids, ANSWER_TIMEOUT);

            assertEquals(ids.size(), afterJoin.size(), "every replica answered: " + afterJoin);
            assertReplicasOnDistinctNodes(afterJoin, PARTITIONS, replicas);
            for (String id : ids) {
                String expected = !orphans.contains(id) ? nodeByEntity.get(id)
                    : replicas == 2 ? afterLeave.get(id) : joinedNode;
                assertEquals(expected, afterJoin.get(id), id + " stays where it was placed, or waited for the join");
            }

            List<String> newIds = entityIds(PARTITIONS, PARTITIONS + 4, replicas);
            Map<String, String> newPartitions = nodesByEntity(sharding, newIds, ANSWER_TIMEOUT);

            assertEquals(newIds.size(), newPartitions.size(), "every new replica answered: " + newPartitions);
            assertReplicasOnDistinctNodes(newPartitions, PARTITIONS + 4, replicas);
            assertEachPartitionHasAReplicaOn(joinedNode, newPartitions, PARTITIONS, PARTITIONS + 4);
            Map<String, String> everyReplica = new TreeMap<>(afterJoin);
            everyReplica.putAll(newPartitions);
            assertEquals(everyReplica, nodesByShard(cluster), "the coordinator agrees with the entities");
        }
    }

    private static List<String> entityIds(int fromPartition, int toPartition, int replicas) {
        List<String> ids = new ArrayList<>();
        for (int p = fromPartition; p < toPartition; p++) {
            for (int r = 0; r < replicas; r++) {
                ids.add(new PartitionId(MODEL, p, r).format());
            }
        }
        return ids;
    }

    /** Asks every entity (starting it if need be) where it runs; leaves out those silent for {@code timeout}. */
    private static Map<String, String> nodesByEntity(ClusterSharding sharding, List<String> ids, Duration timeout) {
        List<CompletableFuture<PartitionEntity.PartitionInfo>> answers = new ArrayList<>();
        for (String id : ids) {
            answers.add(sharding.entityRefFor(PartitionEntity.TYPE_KEY, id)
                .<PartitionEntity.PartitionInfo>ask(PartitionEntity.GetPartitionInfo::new, timeout)
                .toCompletableFuture()
                .exceptionally(failure -> null));
        }
        Map<String, String> nodeByEntity = new TreeMap<>();
        for (CompletableFuture<PartitionEntity.PartitionInfo> answer : answers) {
            PartitionEntity.PartitionInfo info = answer.join();
            if (info != null) {
                nodeByEntity.put(info.entityId(), info.nodeAddress());
            }
        }
        return nodeByEntity;
    }

    /**
     * Waits until the coordinator knows the region of {@code node}: a node that is up takes shards only once
     * its region has registered, a moment later; until then shards go to the other nodes, for good.
     */
    private static void awaitRegionOf(String node, LocalCluster cluster)
        throws InterruptedException {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (shardingStats(cluster).getRegions().keySet().stream()
                .anyMatch(address -> address.toString().equals(node))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the shard region of " + node + " did not register within "

            + ANSWER_TIMEOUT.toSeconds() + " s");
    }

    /** @return the node of every shard, as the coordinator's statistics report it (shard id = entity id) */
    private static Map<String, String> nodesByShard(LocalCluster cluster) {
        Map<String, String> nodeByShard = new TreeMap<>();
        shardingStats(cluster).getRegions().forEach((address, stats) ->
            stats.getStats().keySet().forEach(shard -> nodeByShard.put(shard, address.toString())));
        return nodeByShard;
    }

    /** Asks the first data node: a client's sharding proxy answers statistics with an empty map. */
    private static ShardRegion.ClusterShardingStats shardingStats(LocalCluster cluster) {
        ActorSystem<Void> system = cluster.nodes().getFirst().system();
        Duration timeout = Duration.ofSeconds(5);
        return AskPattern.<ClusterShardingQuery, ShardRegion.ClusterShardingStats>ask(
                ClusterSharding.get(system).shardState(),
                replyTo -> new GetClusterShardingStats(PartitionEntity.TYPE_KEY, timeout, replyTo),
                timeout.plusSeconds(1), system.scheduler())
            .toCompletableFuture().join();
    }

    private static void assertEachPartitionHasAReplicaOn(String node, Map<String, String> nodeByEntity,
                                                         int fromPartition, int toPartition) {
        for (int p = fromPartition; p < toPartition; p++) {
            String prefix = new PartitionId(MODEL, p, 0).siblingPrefix();
            assertTrue(nodeByEntity.entrySet().stream()
                    .anyMatch(entry -> entry.getKey().startsWith(prefix) && entry.getValue().equals(node)),
                "the joined node, least loaded, holds a replica of new partition " + p + ": " + nodeByEntity);
        }
    }

    private static void assertReplicasOnDistinctNodes(Map<String, String> nodeByEntity, int partitions,
                                                      int replicas) {
        for (int p = 0; p < partitions; p++) {
            Set<String> nodes = new HashSet<>();
            int answered = 0;
            for (int r = 0; r < replicas; r++) {
                String node = nodeByEntity.get(new PartitionId(MODEL, p, r).format());
                if (node != null) {
                    nodes.add(node);
                    answered++;
                }
            }
            assertEquals(answered, nodes.size(), "replicas of partition " + p + " on distinct nodes: " + nodeByEntity);
        }
    }

    private static String addressOf(ModelCacheNode node) {
        return Cluster.get(node.system()).selfMember().address().toString();
    }
}
