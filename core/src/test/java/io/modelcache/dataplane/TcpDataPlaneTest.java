package io.modelcache.dataplane;

import io.modelcache.manifest.FileEntry;
import io.modelcache.manifest.Manifest;
import io.modelcache.manifest.ModelState;
import io.modelcache.loader.OffHeapDestination;
import io.modelcache.store.NodeStore;
import io.modelcache.store.StoredChunk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TCP data plane against a real server on loopback: what it serves, and what it refuses. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpDataPlaneTest {
    private static final String REQUESTER = "pekko://modelcache@127.0.0.1:40000";
    private static final int CHUNK_BYTES = 1 << 20;
    private static final long LOAD_ID = 77;

    private final AtomicLong clockNs = new AtomicLong();
    private final NodeStore store = new NodeStore(64L << 20);
    private final TicketTable tickets = new TicketTable(clockNs::get);
    private TcpDataServer server;
    private TcpDataClient client;
    private StoredChunk chunk;
    private byte[] bytes;
    private Ticket ticket;
    private DataRoute route;

    @BeforeEach
    void start() throws IOException {
        bytes = new byte[CHUNK_BYTES];
        new Random(5).nextBytes(bytes);
        chunk = store.allocate(CHUNK_BYTES);
        chunk.fill(MemorySegment.ofArray(bytes));
        ticket = tickets.issue(LOAD_ID, REQUESTER, "m@v#0", Map.of(3, chunk), TimeUnit.SECONDS.toNanos(60));
        server = TcpDataServer.start("127.0.0.1", 0, tickets);
        route = new DataRoute("tcp", "127.0.0.1", server.address().getPort(), ticket);
        client = new TcpDataClient(1 << 20);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        chunk.release();
    }

    @Test
    void readsChunkStraightIntoDestination() throws Exception {
        try (OffHeapDestination destination = destination(CHUNK_BYTES)) {
            client.fetch(route, LOAD_ID, 3, 0, CHUNK_BYTES, destination, 0, 0);

            assertEquals(-1, MemorySegment.ofArray(bytes).mismatch(destination.file(0)));
        }
    }

    @Test
    void readsRangeOfChunkAndReusesTheConnection() throws Exception {
        try (OffHeapDestination destination = destination(1000)) {
            client.fetch(route, LOAD_ID, 3, 500, 1000, destination, 0, 0);
            client.fetch(route, LOAD_ID, 3, 500, 1000, destination, 0, 0);

            assertEquals(-1, MemorySegment.ofArray(bytes).asSlice(500, 1000).mismatch(destination.file(0)));
        }
    }

    @Test
    void refusesUnknownTicketAndKeepsServing() throws Exception {
        DataRoute forged = new DataRoute("tcp", route.host(), route.port(), Ticket.random());
        try (OffHeapDestination destination = destination(CHUNK_BYTES)) {

            DataRefusedException refused = assertThrows(DataRefusedException.class,
                () -> client.fetch(forged, LOAD_ID, 3, 0, CHUNK_BYTES, destination, 0, 0));

            assertEquals(DataFrames.BAD_TICKET, refused.status());
            client.fetch(route, LOAD_ID, 3, 0, CHUNK_BYTES, destination, 0, 0);
        }
    }

    @Test
    void refusesTicketOfAnotherLoad() {
        try (OffHeapDestination destination = destination(CHUNK_BYTES)) {
            DataRefusedException refused = assertThrows(DataRefusedException.class,
                () -> client.fetch(route, LOAD_ID + 1, 3, 0, CHUNK_BYTES, destination, 0, 0));

            assertEquals(DataFrames.BAD_TICKET, refused.status());
        }
    }

    @Test
    void refusesExpiredTicket() {
        clockNs.addAndGet(TimeUnit.SECONDS.toNanos(61));
        try (OffHeapDestination destination = destination(CHUNK_BYTES)) {
            DataRefusedException refused = assertThrows(DataRefusedException.class,
                () -> client.fetch(route, LOAD_ID, 3, 0, CHUNK_BYTES, destination, 0, 0));

            assertEquals(DataFrames.BAD_TICKET, refused.status());
        }
    }

    @Test
    void refusesChunkTheTicketDoesNotHold() {
        try (OffHeapDestination destination = destination(CHUNK_BYTES)) {
            DataRefusedException refused = assertThrows(DataRefusedException.class,
                () -> client.fetch(route, LOAD_ID, 4, 0, CHUNK_BYTES, destination, 0, 0));

            assertEquals(DataFrames.NOT_HELD, refused.status());
        }
    }

    @Test
    void refusesReleasedChunk() {
        chunk.release();
        try (OffHeapDestination destination = destination(CHUNK_BYTES)) {
            DataRefusedException refused = assertThrows(DataRefusedException.class,
                () -> client.fetch(route, LOAD_ID, 3, 0, CHUNK_BYTES, destination, 0, 0));

            assertEquals(DataFrames.NOT_HELD, refused.status());
        }
    }

    @Test
    void refusesLengthPastTheChunkNegativeOffsetAndHugeLength() throws Exception {
        long[][] ranges = {{0, CHUNK_BYTES + 1L}, {-1, 10}, {1, CHUNK_BYTES}, {0, Long.MAX_VALUE}, {Long.MAX_VALUE, 1}};
        try (SocketChannel raw = SocketChannel.open(server.address())) {
            for (long[] range : ranges) {
                int status = request(raw, new DataFrames.Request(ticket, LOAD_ID, 3, range[0], range[1]));

                assertEquals(DataFrames.BAD_RANGE, status, "offset " + range[0] + " length " + range[1]);
            }
        }
        assertEquals(ranges.length, server.refusals());
    }

    @Test
    void garbageBytesCloseThatConnectionOnlyAndTheNodeKeepsServing() throws Exception {
        byte[] garbage = new byte[DataFrames.REQUEST_BYTES];
        new Random(9).nextBytes(garbage);
        try (Socket raw = new Socket("127.0.0.1", server.address().getPort())) {
            raw.getOutputStream().write(garbage);
            byte[] header = raw.getInputStream().readNBytes(DataFrames.RESPONSE_HEADER_BYTES);

            assertEquals(DataFrames.BAD_FRAME, ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(4));
            assertEquals(-1, raw.getInputStream().read(), "the server closed the connection");
        }
        try (OffHeapDestination destination = destination(CHUNK_BYTES)) {
            client.fetch(route, LOAD_ID, 3, 0, CHUNK_BYTES, destination, 0, 0);
        }
    }

    @Test
    void halfAFrameThenCloseLeavesTheServerServing() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", server.address().getPort())) {
            raw.getOutputStream().write(new byte[10]);
        }
        try (OffHeapDestination destination = destination(CHUNK_BYTES)) {
            client.fetch(route, LOAD_ID, 3, 0, CHUNK_BYTES, destination, 0, 0);
        }
    }

    @Test
    void connectionLostMidChunkFailsTheFetchAndIsNotReused() throws Exception {
        try (ServerSocket cutter = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             OffHeapDestination destination = destination(CHUNK_BYTES)) {
            Thread.ofVirtual().start(() -> sendHalfAChunkThenClose(cutter));
            DataRoute cut = new DataRoute("tcp", "127.0.0.1", cutter.getLocalPort(), ticket);

            IOException failure = assertThrows(IOException.class,
                () -> client.fetch(cut, LOAD_ID, 3, 0, CHUNK_BYTES, destination, 0, 0));

            assertTrue(failure.getMessage().contains("of " + CHUNK_BYTES + " bytes"), failure.getMessage());
        }
    }

    private static void sendHalfAChunkThenClose(ServerSocket listener) {
        try (Socket socket = listener.accept()) {
            socket.getInputStream().readNBytes(DataFrames.REQUEST_BYTES);
            ByteBuffer header = ByteBuffer.allocate(DataFrames.RESPONSE_HEADER_BYTES);
            DataFrames.writeResponseHeader(header, 3, DataFrames.OK, CHUNK_BYTES);
            socket.getOutputStream().write(header.array());
            socket.getOutputStream().write(new byte[CHUNK_BYTES / 2]);
        } catch (IOException ignored) {
            // the test sees the result on the client side
        }
    }

    private static int request(SocketChannel raw, DataFrames.Request request) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(DataFrames.REQUEST_BYTES);
        DataFrames.writeRequest(frame, request);
        TcpDataServer.writeFully(raw, frame.flip());
        ByteBuffer header = ByteBuffer.allocate(DataFrames.RESPONSE_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        TcpDataServer.readFully(raw, header);
        return header.getInt(4);
    }

    private static OffHeapDestination destination(long sizeBytes) {
        Manifest manifest = new Manifest("m", "v", ModelState.READY, "hash", 1, CHUNK_BYTES,
            List.of(new FileEntry("f", sizeBytes, "")), List.of(), List.of(), 0);
        return new OffHeapDestination(manifest);
    }
}
