package io.modelcache.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Budget accounting of {@link NodeStore} and the life of one {@link StoredChunk}. */
class NodeStoreTest {
    private static final int THREADS = 4;
    private static final int OPERATIONS_PER_THREAD = 2_000;

    @Test
    void refusesAllocationPastBudgetAndKeepsUsage() {
        NodeStore store = new NodeStore(10_000);
        StoredChunk first = store.allocate(6_000);

        StoredChunk second = store.allocate(4_001);

        assertNotNull(first);
        assertNull(second);
        assertEquals(6_000, store.usedBytes());
        assertEquals(1, store.chunkCount());
        assertNotNull(store.allocate(4_000), "exactly the budget must fit");
        assertEquals(10_000, store.peakUsedBytes());
    }

    @Test
    void refusesAllocationWhoseSumOverflowsLong() {
        NodeStore store = new NodeStore(10_000);
        store.allocate(1);

        StoredChunk huge = store.allocate(Long.MAX_VALUE);

        assertNull(huge);
        assertFalse(store.fits(Long.MAX_VALUE));
        assertEquals(1, store.usedBytes());
        assertEquals(1, store.peakUsedBytes());
    }

    @Test
    void rejectsNegativeLength() {
        NodeStore store = new NodeStore(10_000);

        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class, () -> store.allocate(-1));

        assertTrue(refusal.getMessage().contains("-1 bytes"), refusal::getMessage);
    }

    @Test
    void rejectsBudgetThatIsNotPositive() {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class, () -> new NodeStore(0));

        assertTrue(refusal.getMessage().contains("memory budget 0 bytes"), refusal::getMessage);
    }

    @Test
    void releaseTwiceIsHarmless() {
        NodeStore store = new NodeStore(10_000);
        StoredChunk chunk = store.allocate(4_096);
        StoredChunk other = store.allocate(1_000);

        chunk.release();
        chunk.release();

        assertEquals(1_000, store.usedBytes());
        assertEquals(1, store.chunkCount());
        other.release();
        assertEquals(0, store.usedBytes());
    }

    @Test
    void readsAfterReleaseAnswerFalse() {
        NodeStore store = new NodeStore(10_000);
        StoredChunk chunk = store.allocate(100);
        chunk.release();

        try (Arena arena = Arena.ofConfined()) {
            assertFalse(chunk.copyTo(arena.allocate(100), 0));
        }
        assertEquals(-1, chunk.crc32c());
    }

    @Test
    void copiesFilledBytesAndComputesCrc32c() {
        NodeStore store = new NodeStore(10_000);
        StoredChunk chunk = store.allocate(1_000);
        byte[] bytes = new byte[1_000];
        new SplittableRandom(7).nextBytes(bytes);
        CRC32C expected = new CRC32C();
        expected.update(bytes);

        chunk.fill(MemorySegment.ofArray(bytes));

        byte[] copy = new byte[1_010];
        assertTrue(chunk.copyTo(MemorySegment.ofArray(copy), 10));
        assertEquals(MemorySegment.ofArray(bytes).mismatch(MemorySegment.ofArray(copy).asSlice(10)), -1);
        assertEquals(expected.getValue(), chunk.crc32c());
        chunk.release();
    }

    @Test
    void holdsEmptyChunk() {
        NodeStore store = new NodeStore(1);

        StoredChunk chunk = store.allocate(0);

        assertEquals(0, chunk.lengthBytes());
        assertEquals(0, store.usedBytes());
        assertEquals(new CRC32C().getValue(), chunk.crc32c());
        chunk.release();
        assertEquals(0, store.chunkCount());
    }

    @Test
    void rejectsFillOfWrongLength() {
        NodeStore store = new NodeStore(10_000);
        StoredChunk chunk = store.allocate(100);

        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
            () -> chunk.fill(MemorySegment.ofArray(new byte[99])));

        assertTrue(refusal.getMessage().contains("99 bytes"), refusal::getMessage);
        assertTrue(refusal.getMessage().contains("100 bytes"), refusal::getMessage);
        chunk.release();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentAllocateAndReleaseEndsAtZeroAndNeverPassesBudget() throws Exception {
        NodeStore store = new NodeStore(256 * 1024);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> refusals = new ArrayList<>();

        try (ExecutorService threads = Executors.newFixedThreadPool(THREADS)) {
            for (int t = 0; t < THREADS; t++) {
                SplittableRandom random = new SplittableRandom(t);
                refusals.add(threads.submit(() -> allocateAndRelease(store, random, start)));
            }
            start.countDown();
            int refused = 0;
            for (Future<Integer> result : refusals) {
                refused += result.get(50, TimeUnit.SECONDS);
            }

            assertTrue(refused > 0, "the budget was never reached, so the test proved nothing about refusals");
        }
        assertEquals(0, store.usedBytes());
        assertEquals(0, store.chunkCount());
        assertTrue(store.peakUsedBytes() <= store.budgetBytes(), () -> "peak " + store.peakUsedBytes());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void releaseRacingCopiesNeverFreesMemoryUnderACopy() throws Exception {
        NodeStore store = new NodeStore(1 << 20);
        try (Arena arena = Arena.ofShared(); ExecutorService copier = Executors.newSingleThreadExecutor()) {
            MemorySegment target = arena.allocate(64 * 1024);
            for (int round = 0; round < 200; round++) {
                StoredChunk chunk = store.allocate(64 * 1024);
                CountDownLatch copying = new CountDownLatch(1);
                Future<?> copies = copier.submit(() -> {
                    copying.countDown();
                    while (chunk.copyTo(target, 0)) {
                        Thread.onSpinWait();
                    }
                });
                copying.await();

                chunk.release();

                copies.get(10, TimeUnit.SECONDS);
            }
        }
        assertEquals(0, store.usedBytes());
    }

    /** Holds up to 16 chunks, allocating or releasing at random; answers how many allocations were refused. */
    private static int allocateAndRelease(NodeStore store, SplittableRandom random, CountDownLatch start)
        throws InterruptedException {
        ArrayDeque<StoredChunk> held = new ArrayDeque<>();
        int refused = 0;
        start.await();
        for (int i = 0; i < OPERATIONS_PER_THREAD; i++) {
            if (held.size() < 16 && random.nextInt(3) > 0) {
                StoredChunk chunk = store.allocate(random.nextInt(32 * 1024));
                if (chunk == null) {
                    refused++;
                } else {
                    chunk.fill(MemorySegment.ofArray(new byte[(int) chunk.lengthBytes()]));
                    held.add(chunk);
                }
            } else if (!held.isEmpty()) {
                StoredChunk chunk = held.poll();
                chunk.release();
                if (random.nextInt(4) == 0) {
                    chunk.release();
                }
            }
            assertTrue(store.usedBytes() <= store.budgetBytes(), () -> "used " + store.usedBytes());
        }
        held.forEach(StoredChunk::release);
        return refused;
    }
}
