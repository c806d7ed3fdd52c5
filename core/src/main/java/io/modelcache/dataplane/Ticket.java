package io.modelcache.dataplane;

import io.modelcache.serialization.ControlMessage;

import java.security.SecureRandom;

/**
 * A 128-bit random secret that lets one load read one partition's chunks from one node's data port.
 *
 * @param high the first 64 bits
 * @param low the last 64 bits
 */
public record Ticket(long high, long low) implements ControlMessage {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** @return a fresh ticket from a cryptographically strong generator */
    public static Ticket random() {
        return new Ticket(RANDOM.nextLong(), RANDOM.nextLong());
    }

    @Override
    public String toString() {
        return "Ticket[redacted]";
    }
}
