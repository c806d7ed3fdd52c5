package io.modelcache.dataplane;

import io.modelcache.loader.LoadDestination;

import java.io.IOException;
import java.util.List;

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

    /**
     * One chunk range of a batch and where it lands.
     *
     * @param chunkId the chunk's id in the model
     * @param offsetBytes where to start in the chunk
     * @param lengthBytes how many bytes to read
     * @param fileIndex the destination file
     * @param fileOffset where the bytes land in that file
     */
    record ChunkRead(int chunkId, long offsetBytes, long lengthBytes, int fileIndex, long fileOffset) {
    }

    /** Hears how each chunk of a batch ended, in the order named, on the fetching thread. */
    @FunctionalInterface
    interface ChunkListener {
        /**
         * @param index the chunk's position in the batch
         * @param refusal why the node refused it, or {@code null} when its bytes are in place
         */
        void chunkDone(int index, DataRefusedException refusal);
    }

    /**
     * Reads several ranges held under one route, telling {@code listener} as each one lands or is refused, so
     * the caller can check a chunk while the next arrives. This default reads them one after the other with
     * {@link #fetch}; a transport that can name them all in one request overrides it.
     *
     * @throws IOException if the transport failed; the chunks not yet reported to the listener did not land
     */
    default void fetchBatch(DataRoute route, long loadId, List<ChunkRead> reads, LoadDestination destination,
                            ChunkListener listener) throws IOException {
        for (int i = 0; i < reads.size(); i++) {
            ChunkRead read = reads.get(i);
            try {
                fetch(route, loadId, read.chunkId(), read.offsetBytes(), read.lengthBytes(), destination,
                    read.fileIndex(), read.fileOffset());
                listener.chunkDone(i, null);
            } catch (DataRefusedException refused) {
                listener.chunkDone(i, refused);
            }
        }
    }

    /** Releases connections and threads; later fetches fail. */
    @Override
    void close();
}
