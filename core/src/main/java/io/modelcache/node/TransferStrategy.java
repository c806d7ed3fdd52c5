package io.modelcache.node;

import java.util.Locale;

/**
 * How many chunk requests a put or a load keeps in flight.
 *
 * <ul>
 *   <li>{@link #SERIAL}: one at a time; each waits for the one before it.</li>
 *   <li>{@link #PARALLEL}: every request at once (up to {@link ModelCacheSettings#MAX_PARALLELISM}); the cluster
 *       and the network decide how they overlap.</li>
 *   <li>{@link #BOUNDED}: at most P, a new one as soon as one ends.</li>
 * </ul>
 *
 * A load's requests are batches of one partition's chunks (see {@code modelcache.loader.batch-chunks}); a put's
 * are single chunks.
 */
public enum TransferStrategy {
    SERIAL, PARALLEL, BOUNDED;

    /** @return the name used on the command line and in HOCON */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param parallelism the P asked for (used by {@link #BOUNDED} only)
     * @param requests how many requests the work needs at most
     * @return how many requests to keep in flight, at least 1
     */
    public int inFlight(int parallelism, int requests) {
        return switch (this) {
            case SERIAL -> 1;
            case PARALLEL -> Math.clamp(requests, 1, ModelCacheSettings.MAX_PARALLELISM);
            case BOUNDED -> parallelism;
        };
    }

    /**
     * @param option the option or setting the value came from, for the message
     * @return the strategy called {@code name}
     * @throws IllegalArgumentException naming the value and the known names if there is none
     */
    public static TransferStrategy named(String option, String name) {
        for (TransferStrategy strategy : values()) {
            if (strategy.label().equals(name)) {
                return strategy;
            }
        }
        throw new IllegalArgumentException(option + " '" + name + "' is unknown; use serial, parallel or bounded");
    }
}
