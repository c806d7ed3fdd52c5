package io.modelcache.sim.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

/**
 * What a bench run measures, checked once: every bad value is refused with the option's name, the value and the
 * limit.
 *
 * @param sizeBytes the total bytes each system stores and each client reads
 * @param valueSizeBytes the bytes of one value (the last one may be shorter)
 * @param warmUps unmeasured runs per system and client count before the measured ones, the first checked
 *     byte for byte; every system gets the same, so JIT compilation in the clients and in JVM servers is done
 * @param runs measured runs per system and client count, after the warm-ups; the median is reported
 * @param clientCounts the numbers of concurrent clients to measure, in order, without repeats
 * @param systems the systems to measure, in order, each one of {@link Systems#NAMES}
 * @param outDirectory where the CSV, the chart and the processes' logs go
 * @param randomSeed the seed of the pseudo-random bytes
 * @param loadParallelism modelcache's load parallelism P
 * @param mayInstall whether a missing redis-server or memcached may be installed with apt-get
 */
public record BenchSettings(long sizeBytes, int valueSizeBytes, int warmUps, int runs, List<Integer> clientCounts,
                            List<String> systems, Path outDirectory, long randomSeed, int loadParallelism,
                            boolean mayInstall) {
    /** The largest value: Redis's default limit on one string (proto-max-bulk-len). */
    public static final int MAX_VALUE_SIZE_BYTES = 512 << 20;
    /** Values per set at most: a Redis key and a memcached key per value stay in the bench's heap. */
    public static final int MAX_VALUES = 10_000_000;
    public static final int MAX_CLIENTS = 64;
    public static final int MAX_RUNS = 100;
    public static final int MAX_PARALLELISM = 1024;

    /**
     * @throws IllegalArgumentException naming the option, the value and the limit when a value is out of range
     */
    public BenchSettings {
        clientCounts = clientCounts.stream().distinct().toList();
        systems = systems.stream().distinct().toList();
        if (sizeBytes < 1) {
            throw new IllegalArgumentException("--size " + sizeBytes + " bytes must be at least 1 byte");
        }
        if (valueSizeBytes < 1 || valueSizeBytes > MAX_VALUE_SIZE_BYTES) {
            throw new IllegalArgumentException("--value-size " + valueSizeBytes + " bytes is outside 1.."
                + MAX_VALUE_SIZE_BYTES + " bytes (512MiB)");
        }
        if (valueSizeBytes > sizeBytes) {
            throw new IllegalArgumentException("--value-size " + valueSizeBytes + " bytes exceeds --size " + sizeBytes
                + " bytes");
        }
        long valueCount = (sizeBytes + valueSizeBytes - 1) / valueSizeBytes;
        if (valueCount > MAX_VALUES) {
            throw new IllegalArgumentException("--size " + sizeBytes + " bytes in values of " + valueSizeBytes
                + " bytes makes " + valueCount + " values, more than the limit of " + MAX_VALUES);
        }
        checkRange("--warm-ups", warmUps, 1, MAX_RUNS);
        checkRange("--runs", runs, 1, MAX_RUNS);
        checkRange("--parallelism", loadParallelism, 1, MAX_PARALLELISM);
        if (clientCounts.isEmpty()) {
            throw new IllegalArgumentException("--clients names no client count");
        }
        for (int clients : clientCounts) {
            checkRange("--clients", clients, 1, MAX_CLIENTS);
        }
        if (systems.isEmpty()) {
            throw new IllegalArgumentException("--systems names no system");
        }
        for (String system : systems) {
            if (!Systems.NAMES.contains(system)) {
                throw new IllegalArgumentException("--systems '" + system + "' is not one of "
                    + String.join(", ", Systems.NAMES));
            }
        }
        checkMemory(sizeBytes, clientCounts);
    }

    private static void checkRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " " + value + " is outside " + min + ".." + max);
        }
    }

    /** The bench's JVM holds the values plus one copy per concurrent client, all off-heap. */
    private static void checkMemory(long sizeBytes, List<Integer> clientCounts) {
        int maxClients = clientCounts.stream().mapToInt(Integer::intValue).max().orElse(1);
        long machineBytes = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize();
        double neededBytes = (double) sizeBytes * (1 + maxClients);
        if (neededBytes > machineBytes) {
            throw new IllegalArgumentException(String.format("--size %d bytes with --clients up to %d needs %.1f GiB "
                + "in the bench's JVM (the values plus a copy per client); this machine has %.1f GiB", sizeBytes,
                maxClients, neededBytes / (1L << 30), machineBytes / (double) (1L << 30)));
        }
    }
}
