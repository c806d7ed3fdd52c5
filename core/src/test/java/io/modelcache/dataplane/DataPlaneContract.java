package io.modelcache.dataplane;

import io.modelcache.loader.OffHeapDestination;
import io.modelcache.manifest.FileEntry;
import io.modelcache.manifest.Manifest;
import io.modelcache.manifest.ModelState;
import io.modelcache.store.NodeStore;
import io.modelcache.store.StoredChunk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every data-plane transport promises, against a real server and client on loopback: what it serves, what
 * it refuses, and that a refusal, garbage or a lost connection affects nothing else. Run once per transport
 * (and per Aeron medium) by the subclasses, which supply the transport and its raw wire.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class DataPlaneContract {
    static final String REQUESTER = "pekko://modelcache@127.0.0.1:40000";
    static final int CHUNK_BYTES = 1 << 20;
    static final int CHUNK_ID = 3;
    static final long LOAD_ID = 77;

    final AtomicLong clockNs = new AtomicLong();
    final NodeStore store = new NodeStore(64L << 20);
    final TicketTable tickets = new TicketTable(clockNs::get);
    DataPlaneServer server;
    DataPlaneClient client;
    StoredChunk chunk;
    byte[] bytes;
    Ticket ticket;
    DataRoute route;

    /** @return the transport's server on 127.0.0.1, on a free port, serving {@code tickets} */
    abstract DataPlaneServer startServer(TicketTable tickets) throws IOException;

    /** @return the transport's client */
    abstract DataPlaneClient startClient();

    /** Releases what the subclass started besides the server and client (drivers, fake nodes). */
    abstract void stopTransport();

    /**
     * Sends one request on the raw wire, bypassing the client's checks.
     *
     * @return the status the server answered
     */
    abstract int requestRaw(DataFrames.Request request) throws Exception;

    /** Sends {@code garbage} where requests go and checks what the transport promises for it. */
    abstract void sendGarbage(byte[] garbage) throws Exception;

    /** Sends the first 10 bytes of a request and gives up. */
    abstract void sendTruncatedRequest() throws Exception;

    /**
     * Starts a fake node that answers the first request with OK, sends half of {@link #CHUNK_BYTES} and then drops
     * the connection.
     *
     * @return a route to it
     */
    abstract DataRoute routeToNodeThatDropsMidChunk(Ticket ticket) throws Exception;

    @BeforeEach
    void start() throws IOException {
        bytes = new byte[CHUNK_BYTES];
        new Random(5).nextBytes(bytes);
        chunk = store.allocate(CHUNK_BYTES);
        chunk.fill(MemorySegment.ofArray(bytes));
        ticket = tickets.issue(LOAD_ID, REQUESTER, "m@v#0", Map.of(CHUNK_ID, chunk), TimeUnit.SECONDS.toNanos(60));
        server = startServer(tickets);
        route = new DataRoute(server.transport(), server.host(), server.port(), ticket);
        client = startClient();
    }

    @AfterEach
    void stop() {
        try {
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.close();
            }
        } finally {
            chunk.release();
            stopTransport();
        }
    }

    @Test
    void readsChunkStraightIntoDestination() throws Exception {
        try (OffHeapDestination destination = destination(CHUNK_BYTES)) {
            client.fetch(route, LOAD_ID, CHUNK_ID, 0, CHUNK_BYTES, destination, 0, 0);

            assertEquals(-1, MemorySegment.ofArray(bytes).mismatch(destination.file(0)));
        }
    }

    @Test
    void readsRangeOfChunkToAnOffsetTwice() throws Exception {
        try (OffHeapDestination destination = destination(3000)) {
            client.fetch(route, LOAD_ID, CHUNK_ID, 500, 1000, destination, 0, 2000);
            client.fetch(route, LOAD_ID, CHUNK_ID, 500, 1000, destination, 0, 2000);

            assertEquals(-1, MemorySegment.ofArray(bytes).asSlice(500, 1000)
                .mismatch(destination.file(0).asSlice(2000, 1000)));
        }
    }

    @Test
    void readsEmptyRange() throws Exception {
        try (OffHeapDestination destination = destination(10)) {
            client.fetch(route, LOAD_ID, CHUNK_ID, CHUNK_BYTES, 0, destination, 0, 0);
        }
    }

    @Test
    void refusesUnknownTicketAndKeepsServing() throws Exception {
        DataRoute forged = new DataRoute(route.transport(), route.host(), route.port(), Ticket.random());
        try (OffHeapDestination destination = destination(CHUNK_BYTES)) {

            DataRefusedException refused = assertThrows(DataRefusedException.class,
                () -> client.fetch(forged, LOAD_ID, CHUNK_ID, 0, CHUNK_BYTES, destination, 0, 0));

            assertEquals(DataFrames.BAD_TICKET, refused.status());
            client.fetch(route, LOAD_ID, CHUNK_ID, 0, CHUNK_BYTES, destination, 0, 0);
        }
    }

    @Test
    void refusesTicketOfAnotherLoad() {
        assertRefused(DataFrames.BAD_TICKET, route, LOAD_ID + 1, CHUNK_ID);
    }

    @Test
    void refusesExpiredTicket() {
        clockNs.addAndGet(TimeUnit.SECONDS.toNanos(61));

        assertRefused(DataFrames.BAD_TICKET, route, LOAD_ID, CHUNK_ID);
    }

    @Test
    void refusesTicketIssuedToAnotherHost() {
        Ticket elsewhere = tickets.issue(LOAD_ID, "pekko://modelcache@192.0.2.7:40000", "m@v#0",
            Map.of(CHUNK_ID, chunk), TimeUnit.SECONDS.toNanos(60));
        DataRoute stolen = new DataRoute(route.transport(), route.host(), route.port(), elsewhere);

        assertRefused(DataFrames.BAD_TICKET, stolen, LOAD_ID, CHUNK_ID);
    }

    @Test
    void refusesChunkTheTicketDoesNotHold() {
        assertRefused(DataFrames.NOT_HELD, route, LOAD_ID, CHUNK_ID + 1);
    }

    @Test
    void refusesReleasedChunk() {
        chunk.release();

        assertRefused(DataFrames.NOT_HELD, route, LOAD_ID, CHUNK_ID);
    }

    @Test
    void refusesLengthPastTheChunkNegativeOffsetAndHugeLength() throws Exception {
        long[][] ranges = {{0, CHUNK_BYTES + 1L}, {-1, 10}, {1, CHUNK_BYTES}, {0, Long.MAX_VALUE}, {Long.MAX_VALUE, 1}};
        for (long[] range : ranges) {
            int status = requestRaw(new DataFrames.Request(ticket, LOAD_ID, CHUNK_ID, range[0], range[1]));

            assertEquals(DataFrames.BAD_RANGE, status, "offset " + range[0] + " length " + range[1]);
        }
        assertEquals(ranges.length, server.refusals());
    }

    @Test
    void batchAnswersEachChunkInOrderAndARefusalDoesNotStopTheRest() throws Exception {
        List<DataPlaneClient.ChunkRead> reads = List.of(
            new DataPlaneClient.ChunkRead(CHUNK_ID, 0, CHUNK_BYTES, 0, 0),
            new DataPlaneClient.ChunkRead(CHUNK_ID + 1, 0, CHUNK_BYTES, 0, 0),
            new DataPlaneClient.ChunkRead(CHUNK_ID, CHUNK_BYTES - 10, 11, 0, 0),
            new DataPlaneClient.ChunkRead(CHUNK_ID, CHUNK_BYTES / 2, CHUNK_BYTES / 2, 0, CHUNK_BYTES));
        List<String> outcomes = new java.util.ArrayList<>();
        try (OffHeapDestination destination = destination(2 * CHUNK_BYTES)) {

            client.fetchBatch(route, LOAD_ID, reads, destination, (index, refusal) ->
                outcomes.add(index + ":" + (refusal == null ? "OK" : DataFrames.statusName(refusal.status()))));

            assertEquals(List.of("0:OK", "1:NOT_HELD", "2:BAD_RANGE", "3:OK"), outcomes);
            MemorySegment landed = destination.file(0);
            assertEquals(-1, MemorySegment.ofArray(bytes).mismatch(landed.asSlice(0, CHUNK_BYTES)));
            assertEquals(-1, MemorySegment.ofArray(bytes).asSlice(CHUNK_BYTES / 2)
                .mismatch(landed.asSlice(CHUNK_BYTES, CHUNK_BYTES / 2)));
        }
        assertFetchesWholeChunk();
    }

    @Test
    void garbageFromARawSenderIsRefusedAndTheNodeKeepsServing() throws Exception {
        byte[] garbage = new byte[DataFrames.batchRequestBytes(1)];
        new Random(9).nextBytes(garbage);

        sendGarbage(garbage);

        assertFetchesWholeChunk();
    }

    @Test
    void truncatedRequestLeavesTheNodeServing() throws Exception {
        sendTruncatedRequest();

        assertFetchesWholeChunk();
    }

    @Test
    void connectionLostMidChunkFailsTheFetchAndTheNextFetchWorks() throws Exception {
        DataRoute dropping = routeToNodeThatDropsMidChunk(ticket);
        try (OffHeapDestination destination = destination(CHUNK_BYTES)) {

            IOException failure = assertThrows(IOException.class,
                () -> client.fetch(dropping, LOAD_ID, CHUNK_ID, 0, CHUNK_BYTES, destination, 0, 0));

            assertTrue(failure.getMessage().contains("of " + CHUNK_BYTES + " bytes"), failure.getMessage());
        }
        assertFetchesWholeChunk();
    }

    void assertFetchesWholeChunk() throws Exception {
        try (OffHeapDestination destination = destination(CHUNK_BYTES)) {
            client.fetch(route, LOAD_ID, CHUNK_ID, 0, CHUNK_BYTES, destination, 0, 0);

            assertEquals(-1, MemorySegment.ofArray(bytes).mismatch(destination.file(0)));
        }
    }

    private void assertRefused(int expectedStatus, DataRoute to, long loadId, int chunkId) {
        try (OffHeapDestination destination = destination(CHUNK_BYTES)) {
            DataRefusedException refused = assertThrows(DataRefusedException.class,
                () -> client.fetch(to, loadId, chunkId, 0, CHUNK_BYTES, destination, 0, 0));

            assertEquals(expectedStatus, refused.status());
        }
    }

    static OffHeapDestination destination(long sizeBytes) {
        Manifest manifest = new Manifest("m", "v", ModelState.READY, "hash", 1, CHUNK_BYTES,
            List.of(new FileEntry("f", sizeBytes, "")), List.of(), List.of(), 0);
        return new OffHeapDestination(manifest);
    }
}
