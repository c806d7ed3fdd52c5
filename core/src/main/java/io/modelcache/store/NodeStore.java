package io.modelcache.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Accounts the off-heap bytes of one node against its budget.
 *
 * <p>Every chunk a node holds is allocated here and released here, so {@link #usedBytes()} is the truth
 * about what the node holds. An allocation that would take the node past its budget is refused by
 * returning {@code null}; callers answer with a refusal, never an exception.
 */
public final class NodeStore {
    private final long budgetBytes;
    private final AtomicLong usedBytes = new AtomicLong();
    private final AtomicLong chunkCount = new AtomicLong();
    private final AtomicLong peakUsedBytes = new AtomicLong();

    /**
     * @param budgetBytes the most off-heap bytes this node may hold, greater than zero
     * @throws IllegalArgumentException if the budget is not positive
     */
    public NodeStore(long budgetBytes) {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("memory budget " + budgetBytes + " bytes must be greater than 0");
        }
        this.budgetBytes = budgetBytes;
    }

    /**
     * Allocates an off-heap segment for one chunk.
     *
     * @param lengthBytes the chunk's length, at least 0
     * @return the chunk, or {@code null} when it would exceed the budget
     */
    public StoredChunk allocate(long lengthBytes) {
        if (lengthBytes < 0) {
            throw new IllegalArgumentException("chunk length " + lengthBytes + " bytes must not be negative");
        }
        if (!reserve(lengthBytes)) {
            return null;
        }
        try {
            chunkCount.incrementAndGet();
            return new StoredChunk(this, lengthBytes);
        } catch (OutOfMemoryError | RuntimeException e) {
            chunkCount.decrementAndGet();
            usedBytes.addAndGet(-lengthBytes);
            throw e;
        }
    }

    /** Returns whether {@code lengthBytes} more would fit now; the answer may change at once. */
    public boolean fits(long lengthBytes) {
        return lengthBytes <= budgetBytes - usedBytes.get();
    }

    void released(long lengthBytes) {
        usedBytes.addAndGet(-lengthBytes);
        chunkCount.decrementAndGet();
    }

    private boolean reserve(long lengthBytes) {
        while (true) {
            long used = usedBytes.get();
            // Compared as a difference: used + lengthBytes overflows for a length near Long.MAX_VALUE (a lying
            // frame), which would pass the check, drive usedBytes negative and try to allocate exabytes.
            if (lengthBytes > budgetBytes - used) {
                return false;
            }
            if (usedBytes.compareAndSet(used, used + lengthBytes)) {
                peakUsedBytes.accumulateAndGet(used + lengthBytes, Math::max);
                return true;
            }
        }
    }

    /** @return the budget in bytes */
    public long budgetBytes() {
        return budgetBytes;
    }

    /** @return the bytes held now */
    public long usedBytes() {
        return usedBytes.get();
    }

    /** @return the most bytes held at any time since start */
    public long peakUsedBytes() {
        return peakUsedBytes.get();
    }

    /** @return the chunks held now */
    public long chunkCount() {
        return chunkCount.get();
    }
}
