package io.modelcache.dataplane;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data-plane contract over TCP: a data port on loopback, pooled connections. */
class TcpDataPlaneTest extends DataPlaneContract {
    private SocketChannel raw;
    private ServerSocket dropper;

    @Override
    DataPlaneServer startServer(TicketTable tickets) throws IOException {
        return TcpDataServer.start("127.0.0.1", 0, tickets);
    }

    @Override
    DataPlaneClient startClient() {
        return new TcpDataClient(1 << 20);
    }

    @Override
    void stopTransport() {
        close(raw);
        close(dropper);
    }

    @Override
    int requestRaw(DataFrames.Request request) throws IOException {
        if (raw == null) {
            raw = SocketChannel.open(((TcpDataServer) server).address());
        }
        ByteBuffer frame = ByteBuffer.allocate(DataFrames.batchRequestBytes(1));
        DataFrames.writeBatch(frame, request.ticket(), request.loadId(),
            List.of(new DataFrames.Range(request.chunkId(), request.offsetBytes(), request.lengthBytes())));
        TcpDataServer.writeFully(raw, frame.flip());
        ByteBuffer header = ByteBuffer.allocate(DataFrames.RESPONSE_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        TcpDataServer.readFully(raw, header);
        return header.getInt(4);
    }

    /** Over TCP garbage gets BAD_FRAME and that connection, which can no longer be framed, is closed. */
    @Override
    void sendGarbage(byte[] garbage) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(garbage);
            byte[] header = socket.getInputStream().readNBytes(DataFrames.RESPONSE_HEADER_BYTES);

            assertEquals(DataFrames.BAD_FRAME, ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(4));
            assertClosedByServer(socket);
        }
    }

    /** A count past the limit (or a huge one) is a bad frame: refused before anything is allocated for it. */
    @org.junit.jupiter.api.Test
    void batchNamingTooManyChunksIsABadFrameAndTheNodeKeepsServing() throws Exception {
        for (int count : new int[] {DataFrames.MAX_BATCH_CHUNKS + 1, Integer.MAX_VALUE, 0, -1}) {
            ByteBuffer frame = ByteBuffer.allocate(DataFrames.BATCH_HEAD_BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(DataFrames.MAGIC).putInt(DataFrames.VERSION).putLong(ticket.high()).putLong(ticket.low())
                .putLong(LOAD_ID).putInt(count).putInt(0);
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.getOutputStream().write(frame.array());
                byte[] header = socket.getInputStream().readNBytes(DataFrames.RESPONSE_HEADER_BYTES);

                assertEquals(DataFrames.BAD_FRAME, ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(4),
                    "count " + count);
                assertClosedByServer(socket);
            }
        }
        assertFetchesWholeChunk();
    }

    /** The server closed: end of stream, or a reset when it closed with bytes of ours still unread. */
    private static void assertClosedByServer(Socket socket) throws IOException {
        try {
            assertEquals(-1, socket.getInputStream().read(), "the server closed the connection");
        } catch (java.net.SocketException reset) {
            assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
        }
    }

    @Override
    void sendTruncatedRequest() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(new byte[10]);
        }
    }

    @Override
    DataRoute routeToNodeThatDropsMidChunk(Ticket ticket) throws IOException {
        dropper = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> sendHalfAChunkThenClose(dropper));
        return new DataRoute(TcpDataServer.TRANSPORT, "127.0.0.1", dropper.getLocalPort(), ticket);
    }

    private static void sendHalfAChunkThenClose(ServerSocket listener) {
        try (Socket socket = listener.accept()) {
            socket.getInputStream().readNBytes(DataFrames.batchRequestBytes(1));
            ByteBuffer header = ByteBuffer.allocate(DataFrames.RESPONSE_HEADER_BYTES);
            DataFrames.writeResponseHeader(header, CHUNK_ID, DataFrames.OK, CHUNK_BYTES);
            socket.getOutputStream().write(header.array());
            socket.getOutputStream().write(new byte[CHUNK_BYTES / 2]);
        } catch (IOException ignored) {
            // the test sees the result on the client side
        }
    }

    private static void close(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
