package io.modelcache.dataplane;

import com.typesafe.config.ConfigFactory;
import io.modelcache.loader.OffHeapDestination;
import io.modelcache.manifest.FileEntry;
import io.modelcache.manifest.Manifest;
import io.modelcache.manifest.ModelState;
import io.modelcache.store.NodeStore;
import io.modelcache.store.StoredChunk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fetch-loop throughput of each transport on loopback, for the numbers quoted in the docs: one node holding
 * {@code chunks} chunks of 4 MiB, one loader reading all of them into one destination with P fetches in flight.
 * Not a test; run it by hand, alone on the machine:
 *
 * <pre>
 * java -cp core/target/classes:core/target/test-classes:$(cat cp.txt) --enable-native-access=ALL-UNNAMED \
 *   --sun-misc-unsafe-memory-access=allow --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
 *   io.modelcache.dataplane.DataPlaneBench [chunks] [rounds]
 * </pre>
 */
public final class DataPlaneBench {
    private static final int CHUNK_BYTES = 4 << 20;
    private static final long LOAD_ID = 1;

    private DataPlaneBench() {
    }

    /** @param args chunks (default 128, 512 MiB) and measured rounds (default 5) per transport and P */
    public static void main(String[] args) throws Exception {
        int chunks = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        NodeStore store = new NodeStore((long) chunks * CHUNK_BYTES + CHUNK_BYTES);
        Map<Integer, StoredChunk> chunksById = fill(store, chunks);
        TicketTable tickets = new TicketTable(System::nanoTime);
        Ticket ticket = tickets.issue(LOAD_ID, "pekko://modelcache@127.0.0.1:1", "bench", chunksById,
            TimeUnit.HOURS.toNanos(1));
        AeronSettings settings = AeronSettings.from(
            ConfigFactory.defaultReference().getConfig("modelcache.data-plane.aeron"));
        try (OffHeapDestination destination = destination((long) chunks * CHUNK_BYTES)) {
            try (TcpDataServer server = TcpDataServer.start("127.0.0.1", 0, tickets);
                 TcpDataClient client = new TcpDataClient(4 << 20)) {
                measure("tcp", server, client, ticket, destination, chunks, rounds);
            }
            try (AeronMediaDriver nodeDriver = AeronMediaDriver.start(settings);
                 AeronMediaDriver loaderDriver = AeronMediaDriver.start(settings);
                 AeronDataServer server = AeronDataServer.start(nodeDriver, "127.0.0.1", 0, tickets);
                 AeronDataClient udp = new AeronDataClient(loaderDriver);
                 AeronDataClient ipc = new AeronDataClient(nodeDriver)) {
                measure("aeron udp", server, udp, ticket, destination, chunks, rounds);
                printLossCounters("node", nodeDriver);
                printLossCounters("loader", loaderDriver);
                measure("aeron ipc", server, ipc, ticket, destination, chunks, rounds);
            }
        }
    }

    private static void measure(String name, DataPlaneServer server, DataPlaneClient client, Ticket ticket,
                                OffHeapDestination destination, int chunks, int rounds) throws Exception {
        DataRoute route = new DataRoute(server.transport(), server.host(), server.port(), ticket);
        for (int parallelism : new int[] {1, 4}) {
            readAll(client, route, destination, chunks, parallelism); // warm-up
            List<Double> mbPerSecond = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                long startNs = System.nanoTime();
                readAll(client, route, destination, chunks, parallelism);
                mbPerSecond.add((double) chunks * CHUNK_BYTES / ((System.nanoTime() - startNs) / 1e9) / 1e6);
            }
            List<Double> sorted = mbPerSecond.stream().sorted().toList();
            System.out.printf("%-10s P=%d  median %5.0f MB/s  (min %5.0f, max %5.0f) over %d MiB x %d%n", name,
                parallelism, sorted.get(sorted.size() / 2), sorted.getFirst(), sorted.getLast(),
                chunks * (CHUNK_BYTES >> 20), rounds);
        }
    }

    /** Prints the driver's counters that show loss on UDP: NAKs, retransmits, gap fills, short sends. */
    private static void printLossCounters(String name, AeronMediaDriver driver) {
        driver.aeron().countersReader().forEach((id, typeId, key, label) -> {
            String lower = label.toLowerCase(java.util.Locale.ROOT);
            if (typeId == 0 && (lower.contains("nak") || lower.contains("retransmit") || lower.contains("loss")
                || lower.contains("short") || lower.contains("flow control"))) {
                long value = driver.aeron().countersReader().getCounterValue(id);
                if (value != 0) {
                    System.out.printf("  %s driver: %s = %d%n", name, label, value);
                }
            }
        });
    }

    private static void readAll(DataPlaneClient client, DataRoute route, OffHeapDestination destination, int chunks,
                                int parallelism) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < parallelism; r++) {
            readers.add(Thread.ofVirtual().start(() -> {
                for (int id = next.getAndIncrement(); id < chunks && failure.get() == null;
                     id = next.getAndIncrement()) {
                    try {
                        client.fetch(route, LOAD_ID, id, 0, CHUNK_BYTES, destination, 0, (long) id * CHUNK_BYTES);
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    }
                }
            }));
        }
        for (Thread reader : readers) {
            reader.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static Map<Integer, StoredChunk> fill(NodeStore store, int chunks) {
        Map<Integer, StoredChunk> chunksById = new HashMap<>();
        byte[] bytes = new byte[CHUNK_BYTES];
        Random random = new Random(1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment source = arena.allocate(CHUNK_BYTES);
            for (int id = 0; id < chunks; id++) {
                random.nextBytes(bytes);
                MemorySegment.copy(MemorySegment.ofArray(bytes), 0, source, 0, CHUNK_BYTES);
                StoredChunk chunk = store.allocate(CHUNK_BYTES);
                chunk.fill(source);
                chunksById.put(id, chunk);
            }
        }
        return chunksById;
    }

    private static OffHeapDestination destination(long sizeBytes) {
        Manifest manifest = new Manifest("bench", "v", ModelState.READY, "hash", 1, CHUNK_BYTES,
            List.of(new FileEntry("f", sizeBytes, "")), List.of(), List.of(), 0);
        return new OffHeapDestination(manifest);
    }
}
