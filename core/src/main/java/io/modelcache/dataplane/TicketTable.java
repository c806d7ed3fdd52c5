package io.modelcache.dataplane;

import io.modelcache.store.StoredChunk;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The tickets a data node has issued and what each one grants.
 *
 * <p>A grant names the load, the member that asked, and the chunks (by id) of one partition as they were
 * when the ticket was issued; a chunk released since then is reported as not held. Grants expire; expired
 * ones are refused and swept out whenever a ticket is issued.
 */
public final class TicketTable {

    /**
     * What a ticket allows.
     *
     * @param loadId the load it was issued for
     * @param requester the cluster address of the member that asked
     * @param partition the partition's entity id, for messages
     * @param chunksById the chunks it may read
     * @param expiresAtNs when it stops being valid, on {@link System#nanoTime()}'s clock
     */
    public record Grant(long loadId, String requester, String partition, Map<Integer, StoredChunk> chunksById,
                        long expiresAtNs) {
    }

    private final ConcurrentHashMap<Ticket, Grant> grants = new ConcurrentHashMap<>();
    private final LongSupplier clockNs;

    /** @param clockNs the clock expiry is measured on, {@code System::nanoTime} outside tests */
    public TicketTable(LongSupplier clockNs) {
        this.clockNs = clockNs;
    }

    /**
     * Issues a ticket for {@code chunksById}, valid for {@code ttlNs}.
     *
     * @return the new ticket
     */
    public Ticket issue(long loadId, String requester, String partition, Map<Integer, StoredChunk> chunksById,
                        long ttlNs) {
        long nowNs = clockNs.getAsLong();
        grants.values().removeIf(grant -> grant.expiresAtNs() - nowNs < 0);
        Ticket ticket = Ticket.random();
        grants.put(ticket, new Grant(loadId, requester, partition, Map.copyOf(chunksById), nowNs + ttlNs));
        return ticket;
    }

    /**
     * @return the grant of a valid ticket for {@code loadId}, or {@code null} if the ticket is unknown, expired
     *     or was issued for another load
     */
    public Grant lookup(Ticket ticket, long loadId) {
        Grant grant = grants.get(ticket);
        if (grant == null || grant.loadId() != loadId || grant.expiresAtNs() - clockNs.getAsLong() < 0) {
            return null;
        }
        return grant;
    }

    /** @return how many grants are held, expired ones included until the next sweep */
    public int size() {
        return grants.size();
    }
}
