package io.modelcache.sim.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad options are refused with the option's name, the value and the limit; sizes parse as people write them. */
class BenchSettingsTest {
    private static final long MIB = 1 << 20;

    @Test
    void rejectsSizeZero() {
        assertRefused("--size 0 bytes must be at least 1 byte", 0, (int) MIB, List.of(1), List.of("page-cache"));
    }

    @Test
    void rejectsClientsZero() {
        assertRefused("--clients 0 is outside 1..64", 64 * MIB, (int) MIB, List.of(1, 0), List.of("page-cache"));
    }

    @Test
    void rejectsValueLargerThan512MiB() {
        assertRefused("--value-size 536870913 bytes is outside 1..536870912 bytes (512MiB)", 1L << 30,
            (512 << 20) + 1, List.of(1), List.of("page-cache"));
    }

    @Test
    void rejectsValueLargerThanSize() {
        assertRefused("--value-size 2097152 bytes exceeds --size 1048576 bytes", MIB, 2 << 20, List.of(1),
            List.of("page-cache"));
    }

    @Test
    void rejectsUnknownSystem() {
        assertRefused("--systems 'mongodb' is not one of page-cache, raw-tcp, redis, memcached, hazelcast, modelcache, "
            + "modelcache-aeron, modelcache-ipc",
            MIB, (int) MIB, List.of(1), List.of("mongodb"));
    }

    @Test
    void rejectsSizeThatDoesNotFitInMemoryOncePerClient() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> settings(1L << 50, 512 << 20, List.of(4), List.of("page-cache")));

        assertTrue(refused.getMessage().startsWith("--size 1125899906842624 bytes with --clients up to 4 needs "
            + "5242880.0 GiB in the bench's JVM (the values plus a copy per client); this machine has "),
            refused.getMessage());
    }

    @Test
    void parsesBinaryUnitsAndPlainBytes() {
        assertEquals(1L << 30, Sizes.parse("--size", "1GiB"));
        assertEquals(64 * MIB, Sizes.parse("--size", "64MiB"));
        assertEquals(256 * MIB, Sizes.parse("--size", "256mib"));
        assertEquals(1000, Sizes.parse("--size", "1000"));
        assertEquals("256 MiB", Sizes.describe(256 * MIB));
        assertEquals("1000 bytes", Sizes.describe(1000));
    }

    @Test
    void rejectsSizeThatIsNotOne() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> Sizes.parse("--size", "lots"));

        assertEquals("--size 'lots' is not a size such as 1GiB, 64MiB or 1048576", refused.getMessage());
    }

    @Test
    void medianOfEvenCountIsMeanOfMiddleTwo() {
        assertEquals(2.5, Bench.median(new double[] {4, 1, 2, 3}));
        assertEquals(3, Bench.median(new double[] {5, 3, 1}));
    }

    private static void assertRefused(String message, long sizeBytes, int valueSizeBytes, List<Integer> clients,
                                      List<String> systems) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> settings(sizeBytes, valueSizeBytes, clients, systems));

        assertEquals(message, refused.getMessage());
    }

    private static BenchSettings settings(long sizeBytes, int valueSizeBytes, List<Integer> clients,
                                          List<String> systems) {
        return new BenchSettings(sizeBytes, valueSizeBytes, 1, 1, clients, systems, Path.of("target"), 42, 8, false);
    }
}
