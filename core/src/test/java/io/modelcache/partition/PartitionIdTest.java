package io.modelcache.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The entity id of a partition replica: written, read back, and malformed ids refused by name. */
class PartitionIdTest {

    @Test
    void formatsAndParsesBackTheSameReplica() {
        PartitionId id = new PartitionId("mini-lm.v2@3f2a9c0d1e4b5a67", 12, 2);

        String formatted = id.format();

        assertEquals("mini-lm.v2@3f2a9c0d1e4b5a67#12.2", formatted);
        assertEquals(id, PartitionId.parse(formatted));
    }

    @Test
    void siblingPrefixMatchesEveryReplicaOfThePartitionAndNoOtherPartition() {
        String prefix = new PartitionId("m@v", 1, 0).siblingPrefix();

        assertTrue(new PartitionId("m@v", 1, 2).format().startsWith(prefix));
        assertFalse(new PartitionId("m@v", 10, 0).format().startsWith(prefix), "partition 10 is not partition 1");
        assertFalse(new PartitionId("m@v2", 1, 0).format().startsWith(prefix), "another version is another model");
    }

    @ParameterizedTest
    @ValueSource(strings = {"m@v#0", "m@v", "#0.0", "m@v#.0", "m@v#0.", "m@v#-1.0", "m@v#+1.0", "m@v#01.0",
        "m@v#0.1.2", "m@v#0.x", "m@v#1234567890.0"})
    void refusesMalformedIdNamingIt(String entityId) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> PartitionId.parse(entityId));

        assertTrue(refused.getMessage().contains("'" + entityId + "'"), refused.getMessage());
    }

    @Test
    void refusesNegativeIndexAndModelIdWithHash() {
        assertThrows(IllegalArgumentException.class, () -> new PartitionId("m@v", -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new PartitionId("m@v", 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new PartitionId("m#v", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new PartitionId("", 0, 0));
    }
}
