package io.modelcache.dataplane;

import io.modelcache.loader.LoadDestination;

import java.io.IOException;

/**
 * The loader's side of one data-plane transport: reads a range of a chunk from a data node straight into
 * a load's destination.
 *
 * <p>Calls block until the bytes are in place or the read failed: make them on virtual threads. An interrupt
 * of the calling thread abandons the read (the fetcher does this when a chunk times out); the transport then
 * must not let bytes of the abandoned read land later, and must not reuse a connection that carried half an
 * answer. Implementations are thread-safe.
 */
public interface DataPlaneClient extends AutoCloseable {

    /**
     * Reads {@code lengthBytes} of chunk {@code chunkId}, from {@code offsetBytes} in the chunk, to
     * {@code fileOffset} of file {@code fileIndex} in {@code destination}.
     *
     * @param route where to read and the ticket the node issued for this load
     * @throws DataRefusedException if the node refused the request (bad ticket, chunk not held, bad range)
     * @throws IOException if the transport failed or the answer did not match the request; part of the range
     *     may have been written
     */
    void fetch(DataRoute route, long loadId, int chunkId, long offsetBytes, long lengthBytes,
               LoadDestination destination, int fileIndex, long fileOffset) throws IOException, DataRefusedException;

    /** Releases connections and threads; later fetches fail. */
    @Override
    void close();
}
