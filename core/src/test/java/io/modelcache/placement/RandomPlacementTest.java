package io.modelcache.placement;

import io.modelcache.manifest.ChunkEntry;
import io.modelcache.manifest.Manifest;
import io.modelcache.writer.ModelPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code random}: seeded, even, scattered, and recorded in the manifest with its seed. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RandomPlacementTest {
    private static final Chunks CHUNKS = Chunks.of(4 << 20, 9_976_576_152L, 3_500_296_424L, 1_024);
    private static final int CHUNK_BYTES = 4096;

    @TempDir
    Path tempDir;

    @Test
    void sameSeedGivesTheSameAssignment() {
        int[] first = RandomPlacement.INSTANCE.assign(CHUNKS.keys(), 24, 42);
        int[] second = RandomPlacement.INSTANCE.assign(CHUNKS.keys(), 24, 42);

        assertArrayEquals(first, second);
    }

    @Test
    void differentSeedGivesADifferentAssignment() {
        int[] first = RandomPlacement.INSTANCE.assign(CHUNKS.keys(), 24, 42);
        int[] second = RandomPlacement.INSTANCE.assign(CHUNKS.keys(), 24, 43);

        int moved = 0;
        for (int chunkId = 0; chunkId < first.length; chunkId++) {
            moved += first[chunkId] != second[chunkId] ? 1 : 0;
        }
        // Two independent shuffles agree on a chunk with probability 1/24.
        assertTrue(moved > first.length * 0.9, moved + " of " + first.length + " chunks moved");
    }

    @Test
    void dealsEveryPartitionTheSameNumberOfChunksWithinOne() {
        int[] partitions = RandomPlacement.INSTANCE.assign(CHUNKS.keys(), 24, 7);

        int[] counts = new int[24];
        for (int partition : partitions) {
            counts[partition]++;
        }
        int fewest = Integer.MAX_VALUE;
        int most = 0;
        for (int count : counts) {
            fewest = Math.min(fewest, count);
            most = Math.max(most, count);
        }
        assertTrue(most - fewest <= 1, "partitions hold " + fewest + ".." + most + " chunks");
    }

    @Test
    void scattersConsecutiveChunks() {
        int[] partitions = RandomPlacement.INSTANCE.assign(CHUNKS.keys(), 24, 7);

        int sameAsNext = 0;
        int roundRobin = 0;
        for (int chunkId = 0; chunkId + 1 < partitions.length; chunkId++) {
            sameAsNext += partitions[chunkId] == partitions[chunkId + 1] ? 1 : 0;
            roundRobin += partitions[chunkId] == chunkId % 24 ? 1 : 0;
        }
        // A scattered assignment keeps about 1/24 of neighbours together and of chunks where the deal put them.
        assertTrue(sameAsNext < partitions.length / 12, sameAsNext + " chunks share their neighbour's partition");
        assertTrue(roundRobin < partitions.length / 12, roundRobin + " chunks kept their dealt partition");
    }

    @Test
    void manifestRecordsTheSeedAndTheAssignment() throws Exception {
        Path model = randomFile(200_000);

        try (ModelPlan plan = ModelPlan.read(model, "m", CHUNK_BYTES,
            PlacementChoice.exactly(RandomPlacement.INSTANCE, 5, OptionalLong.of(-1234)))) {
            Manifest manifest = plan.manifest();

            assertEquals(RandomPlacement.NAME, manifest.placement());
            assertEquals(-1234, manifest.placementSeed());
            assertEquals(5, manifest.partitionCount());
            assertArrayEquals(RandomPlacement.INSTANCE.assign(Chunks.of(CHUNK_BYTES, 200_000).keys(), 5, -1234),
                partitionsOf(manifest.chunks()));
        }
    }

    @Test
    void withoutSeedTakesOneFromTheContentSoTheSameContentIsPlacedTheSameWay() throws Exception {
        Path model = randomFile(200_000);
        PlacementChoice choice = PlacementChoice.exactly(RandomPlacement.INSTANCE, 5, OptionalLong.empty());

        try (ModelPlan first = ModelPlan.read(model, "m", CHUNK_BYTES, choice);
             ModelPlan second = ModelPlan.read(model, "other-name", CHUNK_BYTES, choice)) {

            assertEquals(Long.parseUnsignedLong(first.manifest().version(), 16), first.manifest().placementSeed());
            assertEquals(first.manifest().placementSeed(), second.manifest().placementSeed());
            assertArrayEquals(partitionsOf(first.manifest().chunks()), partitionsOf(second.manifest().chunks()));
        }
    }

    @Test
    void placementsThatTakeNoSeedRecordSeedZero() throws Exception {
        Path model = randomFile(50_000);

        for (String name : List.of(HashPlacement.NAME, RangePlacement.NAME)) {
            try (ModelPlan plan = ModelPlan.read(model, "m", CHUNK_BYTES,
                PlacementChoice.atMost(Placement.named(name), 4, OptionalLong.empty()))) {

                assertEquals(name, plan.manifest().placement());
                assertEquals(0, plan.manifest().placementSeed(), name);
            }
        }
        assertFalse(HashPlacement.INSTANCE.isSeeded() || RangePlacement.INSTANCE.isSeeded());
    }

    private Path randomFile(int sizeBytes) throws Exception {
        byte[] bytes = new byte[sizeBytes];
        new SplittableRandom(sizeBytes).nextBytes(bytes);
        return Files.write(tempDir.resolve("model.bin"), bytes);
    }

    private static int[] partitionsOf(List<ChunkEntry> chunks) {
        return chunks.stream().mapToInt(ChunkEntry::partition).toArray();
    }
}
