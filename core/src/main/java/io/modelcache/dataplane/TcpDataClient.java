package io.modelcache.dataplane;

import io.modelcache.loader.LoadDestination;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Reads chunks from data nodes' data ports over pooled TCP connections.
 *
 * <p>Calls block: make them on virtual threads. Each call borrows an idle connection to the node (or opens
 * one), sends one request naming every chunk of the batch and reads the answers, one after the other as the
 * node streams them, straight into the load's destination. A connection goes back
 * to the pool only after a complete answer; any I/O error, or an interrupt of the calling thread, closes it,
 * so a connection never carries half an answer into the next call.
 */
public final class TcpDataClient implements DataPlaneClient {
    /** A pooled connection with its own request and header buffers, so a fetch allocates nothing for framing. */
    private record Connection(SocketChannel channel, ByteBuffer request, ByteBuffer header) {
        Connection(SocketChannel channel) {
            this(channel, ByteBuffer.allocateDirect(DataFrames.batchRequestBytes(DataFrames.MAX_BATCH_CHUNKS)),
                ByteBuffer.allocateDirect(DataFrames.RESPONSE_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN));
        }
    }

    private final ConcurrentHashMap<InetSocketAddress, ConcurrentLinkedDeque<Connection>> idleByNode =
        new ConcurrentHashMap<>();
    private final int socketBufferBytes;
    private volatile boolean isClosed;

    /** @param socketBufferBytes the receive buffer to ask the kernel for on each connection */
    public TcpDataClient(int socketBufferBytes) {
        this.socketBufferBytes = socketBufferBytes;
    }

    @Override
    public void fetch(DataRoute route, long loadId, int chunkId, long offsetBytes, long lengthBytes,
                      LoadDestination destination, int fileIndex, long fileOffset)
        throws IOException, DataRefusedException {
        DataRefusedException[] refusal = new DataRefusedException[1];
        fetchBatch(route, loadId, List.of(new ChunkRead(chunkId, offsetBytes, lengthBytes, fileIndex, fileOffset)),
            destination, (index, refused) -> refusal[0] = refused);
        if (refusal[0] != null) {
            throw refusal[0];
        }
    }

    /**
     * Names up to {@link DataFrames#MAX_BATCH_CHUNKS} chunks in one request and reads the answers as the node
     * streams them, each straight into place; longer lists go as several requests on the same connection.
     */
    @Override
    public void fetchBatch(DataRoute route, long loadId, List<ChunkRead> reads, LoadDestination destination,
                           ChunkListener listener) throws IOException {
        InetSocketAddress node = new InetSocketAddress(route.host(), route.port());
        Connection pooled = borrow(node);
        boolean isReusable = false;
        try {
            for (int from = 0; from < reads.size(); from += DataFrames.MAX_BATCH_CHUNKS) {
                List<ChunkRead> batch = reads.subList(from, Math.min(reads.size(), from + DataFrames.MAX_BATCH_CHUNKS));
                List<DataFrames.Range> ranges = new ArrayList<>(batch.size());
                for (ChunkRead read : batch) {
                    ranges.add(new DataFrames.Range(read.chunkId(), read.offsetBytes(), read.lengthBytes()));
                }
                DataFrames.writeBatch(pooled.request().clear(), route.ticket(), loadId, ranges);
                TcpDataServer.writeFully(pooled.channel(), pooled.request().flip());
                for (int i = 0; i < batch.size(); i++) {
                    listener.chunkDone(from + i, readAnswer(node, pooled, batch.get(i), destination));
                }
            }
            isReusable = true;
        } finally {
            if (isReusable && !isClosed) {
                idleByNode.computeIfAbsent(node, ignored -> new ConcurrentLinkedDeque<>()).addFirst(pooled);
            } else {
                pooled.channel().close();
            }
        }
    }

    /** @return the node's refusal of the chunk, or {@code null} when its bytes are in place */
    private static DataRefusedException readAnswer(InetSocketAddress node, Connection pooled, ChunkRead read,
                                                   LoadDestination destination) throws IOException {
        ByteBuffer header = pooled.header().clear();
        if (!TcpDataServer.readFully(pooled.channel(), header)) {
            throw new IOException("data node " + node + " closed the connection before answering chunk "
                + read.chunkId());
        }
        int answeredChunk = header.getInt(0);
        int status = header.getInt(4);
        long answeredBytes = header.getLong(8);
        if (status == DataFrames.BAD_FRAME) {
            throw new IOException("data node " + node + " refused the request for chunk " + read.chunkId()
                + " as a bad frame");
        }
        if (answeredChunk != read.chunkId()) {
            throw new IOException("data node " + node + " answered chunk " + answeredChunk + " to a request for chunk "
                + read.chunkId());
        }
        if (status != DataFrames.OK) {
            return new DataRefusedException(read.chunkId(), status);
        }
        if (answeredBytes != read.lengthBytes()) {
            throw new IOException("data node " + node + " answered chunk " + answeredChunk + " with " + answeredBytes
                + " bytes to a request for " + read.lengthBytes() + " bytes");
        }
        if (!destination.readFrom(pooled.channel(), read.fileIndex(), read.fileOffset(), read.lengthBytes())) {
            throw new IOException("the load's destination was closed while chunk " + read.chunkId() + " arrived");
        }
        return null;
    }

    private Connection borrow(InetSocketAddress node) throws IOException {
        ConcurrentLinkedDeque<Connection> idle = idleByNode.get(node);
        Connection connection = idle == null ? null : idle.pollFirst();
        while (connection != null && !connection.channel().isOpen()) {
            connection = idle.pollFirst();
        }
        if (connection != null) {
            return connection;
        }
        SocketChannel opened = SocketChannel.open();
        try {
            opened.setOption(StandardSocketOptions.TCP_NODELAY, true);
            opened.setOption(StandardSocketOptions.SO_RCVBUF, socketBufferBytes);
            opened.connect(node);
            return new Connection(opened);
        } catch (IOException e) {
            opened.close();
            throw new IOException("cannot connect to data node " + node + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        isClosed = true;
        for (ConcurrentLinkedDeque<Connection> idle : idleByNode.values()) {
            for (Connection connection = idle.pollFirst(); connection != null; connection = idle.pollFirst()) {
                try {
                    connection.channel().close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
