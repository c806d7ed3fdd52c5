package io.modelcache.sim.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The bytes every system stores and serves: {@code sizeBytes} of seeded pseudo-random data in off-heap memory,
 * cut into values of {@code valueSizeBytes} (the last one shorter when the size is not a multiple of it).
 *
 * <p>The bytes are a SplitMix64 sequence written as little-endian longs, so any process given the same size
 * and seed produces the same bytes (the raw TCP server does, instead of receiving them). Random bytes keep
 * compression and deduplication from flattering anyone.
 */
public final class ValueSet {
    private static final ValueLayout.OfLong LONG_LE =
        ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final MemorySegment bytes;
    private final int valueSizeBytes;
    private final long seed;

    private ValueSet(MemorySegment bytes, int valueSizeBytes, long seed) {
        this.bytes = bytes;
        this.valueSizeBytes = valueSizeBytes;
        this.seed = seed;
    }

    /**
     * Allocates {@code sizeBytes} in {@code arena} and fills them from {@code seed}.
     *
     * @throws IllegalArgumentException if a size is below 1 byte
     */
    public static ValueSet generate(Arena arena, long sizeBytes, int valueSizeBytes, long seed) {
        if (sizeBytes < 1 || valueSizeBytes < 1) {
            throw new IllegalArgumentException("size " + sizeBytes + " bytes and value size " + valueSizeBytes
                + " bytes must both be at least 1 byte");
        }
        MemorySegment bytes = arena.allocate(sizeBytes, 64);
        fill(bytes, seed);
        return new ValueSet(bytes, valueSizeBytes, seed);
    }

    /** Fills {@code target} with the sequence {@code seed} starts; the same seed always gives the same bytes. */
    public static void fill(MemorySegment target, long seed) {
        long size = target.byteSize();
        long longs = size / Long.BYTES;
        for (long i = 0; i < longs; i++) {
            target.set(LONG_LE, i * Long.BYTES, mix(seed + (i + 1) * GOLDEN_GAMMA));
        }
        long last = mix(seed + (longs + 1) * GOLDEN_GAMMA);
        for (long offset = longs * Long.BYTES; offset < size; offset++) {
            target.set(ValueLayout.JAVA_BYTE, offset, (byte) last);
            last >>>= 8;
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** @return all the bytes, value after value */
    public MemorySegment bytes() {
        return bytes;
    }

    /** @return the total size in bytes */
    public long sizeBytes() {
        return bytes.byteSize();
    }

    /** @return the size of every value but possibly the last, in bytes */
    public int valueSizeBytes() {
        return valueSizeBytes;
    }

    /** @return the seed the bytes came from */
    public long seed() {
        return seed;
    }

    /** @return how many values there are */
    public int valueCount() {
        return Math.toIntExact((sizeBytes() + valueSizeBytes - 1) / valueSizeBytes);
    }

    /** @return where value {@code index} starts, in bytes from the first */
    public long offsetOf(int index) {
        return (long) index * valueSizeBytes;
    }

    /** @return the length of value {@code index} in bytes */
    public int lengthOf(int index) {
        return (int) Math.min(valueSizeBytes, sizeBytes() - offsetOf(index));
    }

    /** @return value {@code index}'s bytes (a view, not a copy) */
    public MemorySegment value(int index) {
        return bytes.asSlice(offsetOf(index), lengthOf(index));
    }

    /** @return value {@code index} copied into a new heap array, as the key-value clients take it */
    public byte[] valueArray(int index) {
        return value(index).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * Checks that {@code copy} holds exactly these bytes.
     *
     * @throws IllegalStateException naming the system and the first byte that differs
     */
    public void check(String system, MemorySegment copy) {
        long mismatch = bytes.mismatch(copy);
        if (mismatch != -1) {
            throw new IllegalStateException(system + " returned bytes that differ from the source at byte "
                + mismatch + " of " + sizeBytes() + " (copy holds " + copy.byteSize() + " bytes)");
        }
    }
}
