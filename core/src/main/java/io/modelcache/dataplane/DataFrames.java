package io.modelcache.dataplane;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The data plane's frames. All numbers little-endian.
 *
 * <pre>
 * Request, loader to node (52 bytes):
 *   0  int   magic        0x4D434450 ("MCDP")
 *   4  int   version      1
 *   8  long  ticketHigh
 *  16  long  ticketLow
 *  24  long  loadId
 *  32  int   chunkId
 *  36  long  offsetBytes  into the chunk, at least 0
 *  44  long  lengthBytes  at least 0; offset + length at most the chunk's length
 *
 * Response, node to loader (24-byte header, then the bytes when the status is OK):
 *   0  int   chunkId      as requested
 *   4  int   status       0 OK, 1 NOT_HELD, 2 BAD_TICKET, 3 BAD_RANGE, 4 BAD_FRAME
 *   8  long  lengthBytes  bytes that follow (0 unless OK)
 *  16  long  reserved     0
 *  24  byte[lengthBytes]
 * </pre>
 *
 * A node answers every well-formed request; after a BAD_FRAME answer it closes the connection, since it can
 * no longer tell where the next request starts.
 */
public final class DataFrames {
    /** "MCDP". */
    public static final int MAGIC = 0x4D434450;
    /** The protocol version this code speaks. */
    public static final int VERSION = 1;
    /** Bytes in a request. */
    public static final int REQUEST_BYTES = 52;
    /** Bytes in a response header. */
    public static final int RESPONSE_HEADER_BYTES = 24;

    /** The chunk's bytes follow. */
    public static final int OK = 0;
    /** The node does not hold the chunk (any more) under this ticket. */
    public static final int NOT_HELD = 1;
    /** The ticket is unknown, expired, for another load, or presented by another host. */
    public static final int BAD_TICKET = 2;
    /** The range falls outside the chunk. */
    public static final int BAD_RANGE = 3;
    /** The frame is not a request of this protocol. */
    public static final int BAD_FRAME = 4;

    private DataFrames() {
    }

    /**
     * A decoded request.
     *
     * @param ticket the ticket presented
     * @param loadId the load
     * @param chunkId the chunk's id in the model
     * @param offsetBytes where to start in the chunk
     * @param lengthBytes how many bytes to read
     */
    public record Request(Ticket ticket, long loadId, int chunkId, long offsetBytes, long lengthBytes) {
    }

    /** Writes a request into {@code buffer} at its position. */
    public static void writeRequest(ByteBuffer buffer, Request request) {
        buffer.order(ByteOrder.LITTLE_ENDIAN)
            .putInt(MAGIC).putInt(VERSION)
            .putLong(request.ticket().high()).putLong(request.ticket().low())
            .putLong(request.loadId()).putInt(request.chunkId())
            .putLong(request.offsetBytes()).putLong(request.lengthBytes());
    }

    /**
     * Reads a request from {@code buffer}, which holds {@link #REQUEST_BYTES} bytes.
     *
     * @return the request, or {@code null} when the magic or version is wrong
     */
    public static Request readRequest(ByteBuffer buffer) {
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        if (buffer.getInt() != MAGIC || buffer.getInt() != VERSION) {
            return null;
        }
        Ticket ticket = new Ticket(buffer.getLong(), buffer.getLong());
        return new Request(ticket, buffer.getLong(), buffer.getInt(), buffer.getLong(), buffer.getLong());
    }

    /** Writes a response header into {@code buffer} at its position. */
    public static void writeResponseHeader(ByteBuffer buffer, int chunkId, int status, long lengthBytes) {
        buffer.order(ByteOrder.LITTLE_ENDIAN).putInt(chunkId).putInt(status).putLong(lengthBytes).putLong(0);
    }

    /** @return a status code's name, for messages */
    public static String statusName(int status) {
        return switch (status) {
            case OK -> "OK";
            case NOT_HELD -> "NOT_HELD";
            case BAD_TICKET -> "BAD_TICKET";
            case BAD_RANGE -> "BAD_RANGE";
            case BAD_FRAME -> "BAD_FRAME";
            default -> "status " + status;
        };
    }
}
