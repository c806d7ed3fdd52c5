package io.modelcache.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.util.Try;

/**
 * The allocation strategy alone, as the coordinator calls it: regions are test probes' references, and a
 * small table stands in for the coordinator's record of which region holds which shard.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReplicaAwareAllocationStrategyTest {
    private static final String MODEL = "m@0123456789abcdef";
    private static final int PARTITIONS = 8;

    private ActorTestKit testKit;
    private ReplicaAwareAllocationStrategy strategy;
    private Map<ActorRef, List<String>> shardsByRegion;

    @BeforeAll
    void startSystem() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    void stopSystem() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void newCoordinator() {
        strategy = new ReplicaAwareAllocationStrategy();
        shardsByRegion = new LinkedHashMap<>();
    }

    @ParameterizedTest(name = "R = {0}")
    @ValueSource(ints = {2, 3})
    void placesReplicasOfEachPartitionOnDistinctRegionsWithBalancedCounts(int replicas) {
        addRegions(3);

        for (int p = 0; p < PARTITIONS; p++) {
            for (int r = 0; r < replicas; r++) {
                allocated(shard(p, r));
            }
        }

        assertEveryPartitionOnDistinctRegions(replicas);
        assertTrue(countSpread() <= 1, "shard counts differ by at most one: " + counts());
    }

    @ParameterizedTest(name = "R = {0}")
    @ValueSource(ints = {2, 3})
    void keepsReplicasOnDistinctRegionsWhateverOrderTheyArriveIn(int replicas) {
        for (long seed = 0; seed < 50; seed++) {
            newCoordinator();
            addRegions(3);
            List<String> shards = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                for (int r = 0; r < replicas; r++) {
                    shards.add(shard(p, r));
                }
            }
            Collections.shuffle(shards, new Random(seed));

            shards.forEach(this::allocated);

            assertEveryPartitionOnDistinctRegions(replicas);
            // Greedy without moves: an early choice can leave a light region holding siblings of what comes
            // later. A throwaway simulation of this rule over random orders (3 to 16 regions, R 2 and 3, up to
            // 60 partitions) never spread counts by more than 4.
            assertTrue(countSpread() <= 4, "seed " + seed + ": " + counts());
        }
    }

    @Test
    void placesOrphanedReplicaOnRegionWithoutSiblingsWhenNodeLeaves() {
        List<ActorRef> regions = addRegions(3);
        for (int p = 0; p < PARTITIONS; p++) {
            allocated(shard(p, 0));
            allocated(shard(p, 1));
        }
        List<String> orphans = shardsByRegion.remove(regions.get(2));

        for (String orphan : orphans) {
            allocated(orphan);
        }

        assertEquals(2, shardsByRegion.size());
        assertEveryPartitionOnDistinctRegions(2);
    }

    @Test
    void refusesToColocateReplicasWhenEveryRegionHoldsASiblingThenUsesTheNodeThatJoins() {
        List<ActorRef> regions = addRegions(3);
        for (int r = 0; r < 3; r++) {
            allocated(shard(0, r));
        }
        ActorRef left = regions.get(1);
        String orphan = shardsByRegion.remove(left).getFirst();

        Try<ActorRef> whileTwoNodes = allocate(orphan);
        Try<ActorRef> retried = allocate(orphan);
        ActorRef joined = addRegions(1).getFirst();
        Try<ActorRef> afterJoin = allocate(orphan);

        assertTrue(whileTwoNodes.isFailure(), "two regions both hold a sibling of " + orphan);
        assertInstanceOf(ReplicaAwareAllocationStrategy.NoNodeWithoutSiblingException.class,
            whileTwoNodes.failed().get());
        assertTrue(whileTwoNodes.failed().get().getMessage().contains(orphan),
            whileTwoNodes.failed().get().getMessage());
        assertTrue(retried.isFailure(), "still refused on retry");
        assertEquals(joined, afterJoin.get());
    }

    @Test
    void sendsNewShardsToTheNodeThatJoinedAndNeverRebalances() throws Exception {
        addRegions(3);
        for (int p = 0; p < PARTITIONS; p++) {
            allocated(shard(p, 0));
            allocated(shard(p, 1));
        }
        ActorRef joined = addRegions(1).getFirst();

        ActorRef next = allocate(shard(PARTITIONS, 0)).get();
        Future<Set<String>> rebalance = strategy.rebalance(scalaView(), Set.of());

        assertEquals(joined, next, "the empty region is the least loaded");
        assertEquals(Set.of(), rebalance.value().get().get());
    }

    @Test
    void breaksTiesBetweenEqualRegionsTheSameWayEveryTime() {
        List<ActorRef> regions = addRegions(3);
        ActorRef first = regions.stream().min((a, b) -> a.path().toString().compareTo(b.path().toString()))
            .orElseThrow();

        ActorRef chosen = allocate(shard(0, 0)).get();

        assertEquals(first, chosen);
        assertEquals(chosen, allocate(shard(0, 0)).get(), "same input, same choice");
    }

    @Test
    void allocatesIdThatIsNotAReplicaByLoadAlone() {
        List<ActorRef> regions = addRegions(2);
        allocated(shard(0, 0));

        ActorRef chosen = allocate("not-a-partition").get();

        assertNotEquals(regionOf(shard(0, 0)), chosen);
        assertTrue(regions.contains(chosen));
    }

    private List<ActorRef> addRegions(int count) {
        List<ActorRef> added = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ActorRef region = Adapter.toClassic(testKit.createTestProbe().ref());
            shardsByRegion.put(region, new ArrayList<>());
            added.add(region);
        }
        return added;
    }

    private static String shard(int partition, int replica) {
        return new PartitionId(MODEL, partition, replica).format();
    }

    private Try<ActorRef> allocate(String shardId) {
        ActorRef requester = shardsByRegion.keySet().iterator().next();
        Future<ActorRef> region = strategy.allocateShard(requester, shardId, scalaView());
        return region.value().get();
    }

    /** Allocates like the coordinator: asks the strategy, then records the shard with the region chosen. */
    private void allocated(String shardId) {
        ActorRef region = allocate(shardId).get();
        shardsByRegion.get(region).add(shardId);
    }

    private Map<ActorRef, IndexedSeq<String>> scalaView() {
        Map<ActorRef, IndexedSeq<String>> view = new LinkedHashMap<>();
        shardsByRegion.forEach((region, shards) ->
            view.put(region, CollectionConverters.asScala(shards).toIndexedSeq()));
        return view;
    }

    private ActorRef regionOf(String shardId) {
        return shardsByRegion.entrySet().stream().filter(entry -> entry.getValue().contains(shardId))
            .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private void assertEveryPartitionOnDistinctRegions(int replicas) {
        for (int p = 0; p < PARTITIONS; p++) {
            Set<ActorRef> regions = new HashSet<>();
            for (int r = 0; r < replicas; r++) {
                regions.add(regionOf(shard(p, r)));
            }
            assertEquals(replicas, regions.size(), "replicas of partition " + p + " on distinct regions: "
                + shardsByRegion.values());
        }
    }

    private List<Integer> counts() {
        return shardsByRegion.values().stream().map(List::size).toList();
    }

    private int countSpread() {
        List<Integer> counts = counts();
        return Collections.max(counts) - Collections.min(counts);
    }
}
