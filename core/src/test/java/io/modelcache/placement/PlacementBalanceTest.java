package io.modelcache.placement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hash} and {@code random} spread a model's bytes evenly over the nodes. Unit-level: partitions go
 * round-robin onto three nodes (partition p on node p mod 3), standing in for the shard allocation; the
 * cluster-level check, with the real allocation, is a separate test.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PlacementBalanceTest {
    private static final int NODES = 3;
    private static final long CHUNK_BYTES = 4 << 20;
    /** The largest node may hold at most this multiple of the mean. */
    private static final double MOST_OVER_MEAN = 1.15;

    /** Models as safetensors shards come: a few large files, sometimes small ones beside them. */
    static Stream<Arguments> models() {
        return Stream.of(
            Arguments.of("2 shards of 13.5 GB", new long[] {9_976_576_152L, 3_500_296_424L}),
            Arguments.of("one 4.4 GB file", new long[] {4_400_000_000L}),
            Arguments.of("one 1.3 GB file", new long[] {1_300_000_000L}),
            Arguments.of("7 files with small ones", new long[] {4_900_000_000L, 4_900_000_000L, 4_900_000_000L,
                1_200_000_000L, 10_000_000L, 2_000L, 500_000_000L}));
    }

    static Stream<Arguments> placementsModelsAndPartitionsPerNode() {
        return Stream.of(HashPlacement.NAME, RandomPlacement.NAME).flatMap(placement ->
            models().flatMap(model -> Stream.of(8, 16).map(perNode ->
                Arguments.of(placement, model.get()[0], model.get()[1], perNode))));
    }

    @ParameterizedTest(name = "{0}, {1}, {3} partitions per node")
    @MethodSource("placementsModelsAndPartitionsPerNode")
    void largestNodeHoldsAtMost115PercentOfTheMean(String placement, String model, long[] fileSizesBytes,
                                                   int partitionsPerNode) {
        Chunks chunks = Chunks.of(CHUNK_BYTES, fileSizesBytes);

        int[] partitions = Placement.named(placement).assign(chunks.keys(), NODES * partitionsPerNode, 2024);

        double mostOverMean = mostOverMean(partitions, chunks.lengthsBytes());
        assertTrue(mostOverMean <= MOST_OVER_MEAN, String.format("%s on %s (%d chunks): the largest node holds "
            + "%.3f times the mean", placement, model, chunks.size(), mostOverMean));
    }

    @Test
    void rangeOverNodesRoundRobinIsEvenToo() {
        Chunks chunks = Chunks.of(CHUNK_BYTES, 9_976_576_152L, 3_500_296_424L);

        int[] partitions = RangePlacement.INSTANCE.assign(chunks.keys(), NODES * 8, 0);

        assertTrue(mostOverMean(partitions, chunks.lengthsBytes()) <= MOST_OVER_MEAN);
    }

    @Test
    void measureFlagsAPlacementThatFavoursOneNode() {
        Chunks chunks = Chunks.of(CHUNK_BYTES, 9_976_576_152L);
        int[] partitions = new int[chunks.size()];
        for (int chunkId = 0; chunkId < partitions.length; chunkId++) {
            // Node 0 gets every fourth chunk and a third of the rest: 1/4 + 3/4 * 1/3 = half the bytes, 1.5x.
            partitions[chunkId] = chunkId % 4 == 0 ? 0 : chunkId % 24;
        }

        assertTrue(mostOverMean(partitions, chunks.lengthsBytes()) > MOST_OVER_MEAN);
    }

    /** The bytes of the fullest node over the mean bytes per node, partition p on node p mod {@link #NODES}. */
    private static double mostOverMean(int[] partitions, long[] lengthsBytes) {
        long[] bytesByNode = new long[NODES];
        long total = 0;
        for (int chunkId = 0; chunkId < partitions.length; chunkId++) {
            bytesByNode[partitions[chunkId] % NODES] += lengthsBytes[chunkId];
            total += lengthsBytes[chunkId];
        }
        long most = 0;
        for (long bytes : bytesByNode) {
            most = Math.max(most, bytes);
        }
        return most / (total / (double) NODES);
    }
}
