package io.modelcache.sim.bench;

import java.util.List;
import java.util.Optional;

/**
 * One system the bench measures: it stores the bench's values once, then serves them to concurrent clients.
 *
 * <p>The bench calls, in order: {@link #unavailableReason()}; if empty, {@link #setUp}; then for each client
 * count one {@link #warmUp} and the measured {@link #measure} runs; finally {@link #tearDown()}, always, also
 * after a failure. A measured run reads every value once per client; throughput is the aggregate over all
 * clients.
 */
public interface BenchSystem {

    /** @return the name used in {@code --systems}, tables and charts */
    String name();

    /**
     * @return why this system cannot run on this machine (for example a missing server binary), or empty when
     *     it can
     * @throws InterruptedException if interrupted while installing what the system needs
     */
    default Optional<String> unavailableReason() throws InterruptedException {
        return Optional.empty();
    }

    /**
     * Starts whatever the system needs and stores every value.
     *
     * @throws Exception when the system cannot start or store the values; the bench reports it and goes on
     */
    void setUp(ValueSet values) throws Exception;

    /**
     * Reads everything once with {@code clients} concurrent clients, untimed, and checks the bytes read against
     * the source.
     *
     * @throws IllegalStateException when a byte differs
     * @throws Exception when a read fails or times out
     */
    void warmUp(int clients) throws Exception;

    /**
     * Reads everything once per client with {@code clients} concurrent clients.
     *
     * @return the aggregate throughput in MB/s (10^6 bytes per second): clients × bytes / wall time
     * @throws Exception when a read fails or times out
     */
    double measure(int clients) throws Exception;

    /** @return lines to print under the table (what was measured how, memory held); may be empty */
    default List<String> notes() {
        return List.of();
    }

    /** Stops what {@link #setUp} started and frees its memory; safe after a failed or partial set-up. */
    void tearDown();
}
