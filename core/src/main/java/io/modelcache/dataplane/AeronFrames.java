package io.modelcache.dataplane;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The Aeron data plane's frames, each exactly one unfragmented Aeron fragment. All numbers little-endian.
 *
 * <pre>
 * Request, loader to node, on the node's request stream (72 bytes):
 *   0  int   magic            0x4D434441 ("MCDA")
 *   4  int   version          1
 *   8  long  correlationId    chosen by the loader, never reused by it
 *  16  long  ticketHigh
 *  24  long  ticketLow
 *  32  long  loadId
 *  40  long  offsetBytes      into the chunk, at least 0
 *  48  long  lengthBytes      at least 0; offset + length at most the chunk's length
 *  56  int   chunkId
 *  60  int   responseStreamId where to answer
 *  64  int   responsePort     the loader's UDP response port, on the host the request came from; 0 over IPC
 *  68  int   reserved         0
 *
 * Response fragment, node to loader (24-byte header, then bytes up to the end of the fragment):
 *   0  long  correlationId    as requested
 *   8  long  offsetBytes      of this fragment's bytes within the requested range
 *  16  int   status           DataFrames.OK, or a refusal (then no bytes follow and no more fragments come)
 *  20  int   chunkId          as requested
 *  24  byte[]                 the range's bytes from offsetBytes, as many as the fragment holds
 * </pre>
 *
 * An OK range arrives as fragments that together cover it exactly once (a range of 0 bytes as one fragment
 * without bytes); the loader counts bytes to know when it is complete. A chunk released while its range is
 * being sent ends the answer with a NOT_HELD fragment. A request that is not 72 bytes with the right magic and
 * version is counted as a refusal and not answered: there is no trustworthy address to answer.
 */
final class AeronFrames {
    /** "MCDA". */
    static final int MAGIC = 0x4D434441;
    /** The protocol version this code speaks. */
    static final int VERSION = 1;
    /** Bytes in a request. */
    static final int REQUEST_BYTES = 72;
    /** Bytes in a response fragment's header. */
    static final int RESPONSE_HEADER_BYTES = 24;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private static final int MAGIC_OFFSET = 0;
    private static final int VERSION_OFFSET = 4;
    private static final int CORRELATION_OFFSET = 8;
    private static final int TICKET_HIGH_OFFSET = 16;
    private static final int TICKET_LOW_OFFSET = 24;
    private static final int LOAD_OFFSET = 32;
    private static final int RANGE_OFFSET_OFFSET = 40;
    private static final int RANGE_LENGTH_OFFSET = 48;
    private static final int CHUNK_OFFSET = 56;
    private static final int RESPONSE_STREAM_OFFSET = 60;
    private static final int RESPONSE_PORT_OFFSET = 64;
    private static final int RESERVED_OFFSET = 68;

    private static final int RESPONSE_CORRELATION_OFFSET = 0;
    private static final int RESPONSE_RANGE_OFFSET_OFFSET = 8;
    private static final int RESPONSE_STATUS_OFFSET = 16;
    private static final int RESPONSE_CHUNK_OFFSET = 20;

    private AeronFrames() {
    }

    /**
     * A decoded request.
     *
     * @param correlationId the loader's id for the request, echoed in every response fragment
     * @param request what is asked
     * @param responseStreamId the stream to answer on
     * @param responsePort the loader's UDP port to answer to; 0 over IPC
     */
    record Request(long correlationId, DataFrames.Request request, int responseStreamId, int responsePort) {
    }

    /** Writes a request of {@link #REQUEST_BYTES} at {@code offset}. */
    static void writeRequest(MutableDirectBuffer buffer, int offset, Request request) {
        DataFrames.Request asked = request.request();
        buffer.putInt(offset + MAGIC_OFFSET, MAGIC, ORDER);
        buffer.putInt(offset + VERSION_OFFSET, VERSION, ORDER);
        buffer.putLong(offset + CORRELATION_OFFSET, request.correlationId(), ORDER);
        buffer.putLong(offset + TICKET_HIGH_OFFSET, asked.ticket().high(), ORDER);
        buffer.putLong(offset + TICKET_LOW_OFFSET, asked.ticket().low(), ORDER);
        buffer.putLong(offset + LOAD_OFFSET, asked.loadId(), ORDER);
        buffer.putLong(offset + RANGE_OFFSET_OFFSET, asked.offsetBytes(), ORDER);
        buffer.putLong(offset + RANGE_LENGTH_OFFSET, asked.lengthBytes(), ORDER);
        buffer.putInt(offset + CHUNK_OFFSET, asked.chunkId(), ORDER);
        buffer.putInt(offset + RESPONSE_STREAM_OFFSET, request.responseStreamId(), ORDER);
        buffer.putInt(offset + RESPONSE_PORT_OFFSET, request.responsePort(), ORDER);
        buffer.putInt(offset + RESERVED_OFFSET, 0, ORDER);
    }

    /**
     * Reads a request.
     *
     * @return the request, or {@code null} when the frame's length, magic or version is wrong
     */
    static Request readRequest(DirectBuffer buffer, int offset, int length) {
        if (length != REQUEST_BYTES || buffer.getInt(offset + MAGIC_OFFSET, ORDER) != MAGIC
            || buffer.getInt(offset + VERSION_OFFSET, ORDER) != VERSION) {
            return null;
        }
        Ticket ticket = new Ticket(buffer.getLong(offset + TICKET_HIGH_OFFSET, ORDER),
            buffer.getLong(offset + TICKET_LOW_OFFSET, ORDER));
        DataFrames.Request asked = new DataFrames.Request(ticket, buffer.getLong(offset + LOAD_OFFSET, ORDER),
            buffer.getInt(offset + CHUNK_OFFSET, ORDER), buffer.getLong(offset + RANGE_OFFSET_OFFSET, ORDER),
            buffer.getLong(offset + RANGE_LENGTH_OFFSET, ORDER));
        return new Request(buffer.getLong(offset + CORRELATION_OFFSET, ORDER), asked,
            buffer.getInt(offset + RESPONSE_STREAM_OFFSET, ORDER), buffer.getInt(offset + RESPONSE_PORT_OFFSET, ORDER));
    }

    /** Writes a response fragment's header at {@code offset}. */
    static void writeResponseHeader(MutableDirectBuffer buffer, int offset, long correlationId, long offsetBytes,
                                    int status, int chunkId) {
        buffer.putLong(offset + RESPONSE_CORRELATION_OFFSET, correlationId, ORDER);
        buffer.putLong(offset + RESPONSE_RANGE_OFFSET_OFFSET, offsetBytes, ORDER);
        buffer.putInt(offset + RESPONSE_STATUS_OFFSET, status, ORDER);
        buffer.putInt(offset + RESPONSE_CHUNK_OFFSET, chunkId, ORDER);
    }

    /** @return the correlation id of the response fragment at {@code offset} */
    static long responseCorrelationId(DirectBuffer buffer, int offset) {
        return buffer.getLong(offset + RESPONSE_CORRELATION_OFFSET, ORDER);
    }

    /** @return where the response fragment's bytes go within the requested range */
    static long responseOffsetBytes(DirectBuffer buffer, int offset) {
        return buffer.getLong(offset + RESPONSE_RANGE_OFFSET_OFFSET, ORDER);
    }

    /** @return the response fragment's status */
    static int responseStatus(DirectBuffer buffer, int offset) {
        return buffer.getInt(offset + RESPONSE_STATUS_OFFSET, ORDER);
    }

    /** @return the chunk the response fragment answers for */
    static int responseChunkId(DirectBuffer buffer, int offset) {
        return buffer.getInt(offset + RESPONSE_CHUNK_OFFSET, ORDER);
    }
}
