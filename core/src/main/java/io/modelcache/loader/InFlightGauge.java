package io.modelcache.loader;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts requests in flight and remembers the most seen at once, so a test or an operator can check what a
 * strategy actually did rather than what it was asked to do. Thread-safe.
 */
public final class InFlightGauge {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    /** A request started. */
    public void enter() {
        int now = inFlight.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
    }

    /** A request ended. */
    public void exit() {
        inFlight.decrementAndGet();
    }

    /** @return requests in flight now */
    public int inFlight() {
        return inFlight.get();
    }

    /** @return the most requests in flight at once since the last {@link #resetPeak()} */
    public int peak() {
        return peak.get();
    }

    /** Starts a new peak from the requests in flight now. */
    public void resetPeak() {
        peak.set(inFlight.get());
    }
}
