package io.modelcache.sim.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;

/**
 * A system whose clients each read every value into their own off-heap copy, in value order: the page cache,
 * the raw TCP stream and the key-value stores. Subclasses say how one client connects and reads; this class
 * keeps one destination segment per client (reused across runs), times the clients together and checks the
 * copies after the warm-up.
 */
abstract class ReadAllSystem implements BenchSystem {
    /** What one client reads through: a file channel, a socket, a store's client connection. */
    interface Reader extends AutoCloseable {
        /** Reads every value into {@code destination} at its offset. */
        void readAll(MemorySegment destination) throws Exception;

        /** Closes the connection; never throws. */
        @Override
        void close();
    }

    protected ValueSet values;
    private final Arena destinationArena = Arena.ofShared();
    private final List<MemorySegment> destinations = new ArrayList<>();

    /**
     * Opens what client {@code clientIndex} reads through; called before the clients are released, untimed.
     */
    protected abstract Reader openReader(int clientIndex) throws Exception;

    /** Starts the system and stores {@link #values}, which is set before this is called. */
    protected abstract void start() throws Exception;

    /** Stops the system; safe after a failed or partial start. */
    protected abstract void stop();

    @Override
    public final void setUp(ValueSet valueSet) throws Exception {
        this.values = valueSet;
        start();
    }

    @Override
    public final void warmUp(int clients) throws Exception {
        for (MemorySegment destination : destinations(clients)) {
            destination.fill((byte) 0);
        }
        measure(clients);
        for (MemorySegment destination : destinations(clients)) {
            values.check(name(), destination);
        }
    }

    @Override
    public final double measure(int clients) throws Exception {
        List<MemorySegment> targets = destinations(clients);
        List<Reader> readers = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                readers.add(openReader(i));
            }
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Reader reader = readers.get(i);
                MemorySegment target = targets.get(i);
                tasks.add(() -> {
                    reader.readAll(target);
                    return null;
                });
            }
            return ConcurrentClients.megabytesPerSecond(name(), tasks, values.sizeBytes());
        } finally {
            for (Reader reader : readers) {
                reader.close();
            }
        }
    }

    /**
     * Gets every value in order with {@code get} (a key-value client's GET, which answers a heap array) and copies
     * it to its offset in {@code destination}.
     *
     * @throws IllegalStateException naming the value when {@code get} answers nothing or the wrong length
     */
    protected final void copyEach(IntFunction<byte[]> get, MemorySegment destination) {
        int count = values.valueCount();
        for (int i = 0; i < count; i++) {
            byte[] value = get.apply(i);
            if (value == null || value.length != values.lengthOf(i)) {
                throw new IllegalStateException(name() + " returned " + (value == null ? "nothing" : value.length
                    + " bytes") + " for value " + i + ", expected " + values.lengthOf(i) + " bytes");
            }
            MemorySegment.copy(value, 0, destination, ValueLayout.JAVA_BYTE, values.offsetOf(i), value.length);
        }
    }

    private List<MemorySegment> destinations(int clients) {
        while (destinations.size() < clients) {
            destinations.add(destinationArena.allocate(values.sizeBytes(), 64));
        }
        return destinations.subList(0, clients);
    }

    @Override
    public final void tearDown() {
        try {
            stop();
        } finally {
            destinationArena.close();
        }
    }
}
