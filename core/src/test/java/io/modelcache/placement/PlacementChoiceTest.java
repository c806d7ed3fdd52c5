package io.modelcache.placement;

import com.typesafe.config.ConfigFactory;
import io.modelcache.node.ModelCacheSettings;
import io.modelcache.writer.ModelPlan;
import io.modelcache.writer.PutRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Choosing a placement: names, partition counts and seeds, refused with the value and the limit. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PlacementChoiceTest {
    private static final int CHUNK_BYTES = 4096;

    @TempDir
    Path tempDir;

    @Test
    void refusesUnknownPlacementNamingTheValueAndTheKnownNames() {
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> Placement.named("rnd"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Placement.named(null));
        IllegalArgumentException request = assertThrows(IllegalArgumentException.class,
            () -> PutRequest.of(tempDir, "m").withPlacement("Hash"));

        assertEquals("placement 'rnd' is unknown; known: hash, range, random", typo.getMessage());
        assertEquals("placement 'null' is unknown; known: hash, range, random", none.getMessage());
        assertEquals("placement 'Hash' is unknown; known: hash, range, random", request.getMessage());
    }

    @Test
    void settingsRefuseUnknownConfiguredPlacement() {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
            () -> settings("modelcache.writer.placement = striped"));

        assertEquals("modelcache.writer.placement 'striped' is unknown; known: hash, range, random",
            refusal.getMessage());
    }

    @Test
    void settingsDefaultToHashAndTakeEachKnownPlacement() {
        assertEquals(HashPlacement.NAME, settings("").placement());
        for (String name : Placement.NAMES) {
            assertEquals(name, settings("modelcache.writer.placement = " + name).placement());
        }
    }

    @Test
    void refusesPartitionCountOutsideOneTo4096() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
            () -> Placement.checkPartitionCount("--partitions", 0));
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
            () -> PutRequest.of(tempDir, "m").withPartitions(4097));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
            () -> PlacementChoice.exactly(HashPlacement.INSTANCE, -2, OptionalLong.empty()));

        assertEquals("--partitions 0 is outside 1..4096", zero.getMessage());
        assertEquals("partitions 4097 is outside 1..4096", tooMany.getMessage());
        assertEquals("partitions -2 is outside 1..4096", negative.getMessage());
        assertEquals(4096, PutRequest.of(tempDir, "m").withPartitions(4096).partitions());
        assertEquals(0, PutRequest.of(tempDir, "m").withPartitions(4096).withPartitions(0).partitions());
    }

    @Test
    void refusesExactPartitionCountAboveTheModelsChunks() throws Exception {
        Path model = file(7 * CHUNK_BYTES - 100);
        PlacementChoice eight = PlacementChoice.exactly(RangePlacement.INSTANCE, 8, OptionalLong.empty());

        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
            () -> ModelPlan.read(model, "m", CHUNK_BYTES, eight).close());

        assertTrue(refusal.getMessage().startsWith("partitions 8 exceeds the 7 chunks of m@"), refusal.getMessage());
        assertTrue(refusal.getMessage().endsWith("; ask for 1..7"), refusal.getMessage());
        try (ModelPlan plan = ModelPlan.read(model, "m", CHUNK_BYTES,
            PlacementChoice.exactly(RangePlacement.INSTANCE, 7, OptionalLong.empty()))) {
            assertEquals(7, plan.manifest().partitionCount());
        }
    }

    @Test
    void lowersDefaultPartitionCountToTheChunksAndKeepsAtLeastOne() throws Exception {
        PlacementChoice twelve = PlacementChoice.atMost(HashPlacement.INSTANCE, 12, OptionalLong.empty());

        try (ModelPlan sevenChunks = ModelPlan.read(file(7 * CHUNK_BYTES), "seven", CHUNK_BYTES, twelve);
             ModelPlan empty = ModelPlan.read(Files.createFile(tempDir.resolve("empty.bin")), "empty", CHUNK_BYTES,
                 twelve);
             ModelPlan many = ModelPlan.read(file(40 * CHUNK_BYTES), "many", CHUNK_BYTES, twelve)) {

            assertEquals(7, sevenChunks.manifest().partitionCount());
            assertEquals(1, empty.manifest().partitionCount());
            assertEquals(12, many.manifest().partitionCount());
        }
        assertEquals(Placement.MAX_PARTITIONS,
            PlacementChoice.atMost(HashPlacement.INSTANCE, 64 * 1024, OptionalLong.empty()).partitionCount());
    }

    @Test
    void refusesSeedForAPlacementThatTakesNone() {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
            () -> PlacementChoice.atMost(RangePlacement.INSTANCE, 4, OptionalLong.of(5)));

        assertEquals("placement seed 5 is used by random placement only, not by range", refusal.getMessage());
        assertSame(RandomPlacement.INSTANCE,
            PlacementChoice.atMost(RandomPlacement.INSTANCE, 4, OptionalLong.of(5)).placement());
    }

    private Path file(int sizeBytes) throws Exception {
        return Files.write(tempDir.resolve("model-" + sizeBytes + ".bin"), new byte[sizeBytes]);
    }

    private static ModelCacheSettings settings(String overrides) {
        return ModelCacheSettings.from(ConfigFactory.parseString(overrides)
            .withFallback(ConfigFactory.parseResources("modelcache-pekko.conf"))
            .withFallback(ConfigFactory.defaultReference()).resolve());
    }
}
