package io.modelcache.placement;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every placement promises, run against each of them. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PlacementContractTest {

    static Stream<Placement> placements() {
        return Placement.NAMES.stream().map(Placement::named);
    }

    static Stream<Arguments> placementsAndSizes() {
        int[][] chunksAndPartitions = {{1, 1}, {1, 7}, {7, 1}, {7, 7}, {10, 3}, {3, 10}, {1000, 24}, {4097, 4096}};
        return placements().flatMap(placement -> Arrays.stream(chunksAndPartitions)
            .map(size -> Arguments.of(placement, size[0], size[1])));
    }

    @ParameterizedTest(name = "{0}: {1} chunks, {2} partitions")
    @MethodSource("placementsAndSizes")
    void assignsEveryChunkAPartitionInRange(Placement placement, int chunkCount, int partitionCount) {
        Chunks chunks = Chunks.count(chunkCount);

        int[] partitions = placement.assign(chunks.keys(), partitionCount, 42);

        assertEquals(chunkCount, partitions.length);
        for (int chunkId = 0; chunkId < partitions.length; chunkId++) {
            int partition = partitions[chunkId];
            assertTrue(partition >= 0 && partition < partitionCount,
                placement + " put chunk " + chunkId + " in partition " + partition + " of " + partitionCount);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void usesEveryPartitionWhenChunksOutnumberThemFiftyFold(Placement placement) {
        Chunks chunks = Chunks.of(4 << 20, 3_000_000_000L, 1_000_000_000L, 10_000L);
        int partitionCount = chunks.size() / 50;

        int[] partitions = placement.assign(chunks.keys(), partitionCount, 7);

        long used = Arrays.stream(partitions).distinct().count();
        assertEquals(partitionCount, used, placement + " left partitions empty");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void sameChunksPartitionCountAndSeedGiveTheSameAssignment(Placement placement) {
        Chunks chunks = Chunks.of(4096, 1_000_000, 333_333);

        int[] first = placement.assign(chunks.keys(), 12, 99);
        int[] second = placement.assign(List.copyOf(chunks.keys()), 12, 99);

        assertArrayEquals(first, second);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void refusesPartitionCountBelowOne(Placement placement) {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
            () -> placement.assign(Chunks.count(3).keys(), 0, 1));

        assertEquals("partition count 0 must be at least 1", refusal.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void isFoundByTheNameItRecords(Placement placement) {
        assertSame(placement, Placement.named(placement.name()));
    }
}
