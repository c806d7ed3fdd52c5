package io.modelcache.dataplane;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The data plane's frames. All numbers little-endian.
 *
 * <pre>
 * TCP batch request, loader to node (a 40-byte head, then one 20-byte entry per chunk):
 *   0  int   magic        0x4D434450 ("MCDP")
 *   4  int   version      2
 *   8  long  ticketHigh
 *  16  long  ticketLow
 *  24  long  loadId
 *  32  int   count        chunks named, 1..MAX_BATCH_CHUNKS
 *  36  int   reserved     0
 *  40  count x { int chunkId, long offsetBytes (at least 0), long lengthBytes (offset + length at most the
 *                chunk's length) }
 *
 * Response, node to loader, one per chunk named and in the order named (24-byte header, then the bytes when
 * the status is OK):
 *   0  int   chunkId      as requested
 *   4  int   status       0 OK, 1 NOT_HELD, 2 BAD_TICKET, 3 BAD_RANGE, 4 BAD_FRAME
 *   8  long  lengthBytes  bytes that follow (0 unless OK)
 *  16  long  reserved     0
 *  24  byte[lengthBytes]
 * </pre>
 *
 * A node answers every chunk of a well-formed request, refusing some and serving others as it must; after a
 * BAD_FRAME answer (wrong magic, version or count) it closes the connection, since it can no longer tell where
 * the next request starts. Aeron carries one {@link Request} per message in frames of its own
 * (AeronFrames) and shares the statuses.
 */
public final class DataFrames {
    /** "MCDP". */
    public static final int MAGIC = 0x4D434450;
    /** The protocol version this code speaks. */
    public static final int VERSION = 2;
    /** Bytes in a batch request's head. */
    public static final int BATCH_HEAD_BYTES = 40;
    /** Bytes per chunk named in a batch request. */
    public static final int BATCH_ENTRY_BYTES = 20;
    /** The most chunks one batch request may name; a node refuses a larger count as BAD_FRAME. */
    public static final int MAX_BATCH_CHUNKS = 64;
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

    /**
     * One chunk range named in a batch request.
     *
     * @param chunkId the chunk's id in the model
     * @param offsetBytes where to start in the chunk
     * @param lengthBytes how many bytes to read
     */
    public record Range(int chunkId, long offsetBytes, long lengthBytes) {
    }

    /** @return the bytes of a batch request naming {@code count} chunks */
    public static int batchRequestBytes(int count) {
        return BATCH_HEAD_BYTES + count * BATCH_ENTRY_BYTES;
    }

    /** Writes a batch request for {@code ranges} (1..{@link #MAX_BATCH_CHUNKS} of them) at the buffer's position. */
    public static void writeBatch(ByteBuffer buffer, Ticket ticket, long loadId, List<Range> ranges) {
        if (ranges.isEmpty() || ranges.size() > MAX_BATCH_CHUNKS) {
            throw new IllegalArgumentException("a batch names 1.." + MAX_BATCH_CHUNKS + " chunks, not "
                + ranges.size());
        }
        buffer.order(ByteOrder.LITTLE_ENDIAN)
            .putInt(MAGIC).putInt(VERSION).putLong(ticket.high()).putLong(ticket.low()).putLong(loadId)
            .putInt(ranges.size()).putInt(0);
        for (Range range : ranges) {
            buffer.putInt(range.chunkId()).putLong(range.offsetBytes()).putLong(range.lengthBytes());
        }
    }

    /**
     * Reads the head of a batch request from {@code buffer}, which holds {@link #BATCH_HEAD_BYTES} bytes.
     *
     * @return how many chunk entries follow, or -1 when the magic, version, count or reserved field is wrong
     */
    public static int readBatchCount(ByteBuffer buffer) {
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        int count = buffer.getInt(32);
        boolean isValid = buffer.getInt(0) == MAGIC && buffer.getInt(4) == VERSION && buffer.getInt(36) == 0
            && count >= 1 && count <= MAX_BATCH_CHUNKS;
        return isValid ? count : -1;
    }

    /**
     * @param head a batch request's head, as checked by {@link #readBatchCount}
     * @param entries the entries that followed it
     * @param index which entry
     * @return the request for that entry's chunk
     */
    public static Request entry(ByteBuffer head, ByteBuffer entries, int index) {
        head.order(ByteOrder.LITTLE_ENDIAN);
        entries.order(ByteOrder.LITTLE_ENDIAN);
        int at = index * BATCH_ENTRY_BYTES;
        return new Request(new Ticket(head.getLong(8), head.getLong(16)), head.getLong(24), entries.getInt(at),
            entries.getLong(at + 4), entries.getLong(at + 12));
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
