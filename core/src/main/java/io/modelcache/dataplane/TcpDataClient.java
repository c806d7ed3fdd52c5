package io.modelcache.dataplane;

import io.modelcache.loader.LoadDestination;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Reads chunks from data nodes' data ports over pooled TCP connections.
 *
 * <p>Calls block: make them on virtual threads. Each call borrows an idle connection to the node (or opens
 * one), sends one request and reads the answer straight into the load's destination. A connection goes back
 * to the pool only after a complete answer; any I/O error, or an interrupt of the calling thread, closes it,
 * so a connection never carries half an answer into the next call.
 */
public final class TcpDataClient implements DataPlaneClient {
    /** A pooled connection with its own request and header buffers, so a fetch allocates nothing for framing. */
    private record Connection(SocketChannel channel, ByteBuffer request, ByteBuffer header) {
        Connection(SocketChannel channel) {
            this(channel, ByteBuffer.allocateDirect(DataFrames.REQUEST_BYTES),
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
        InetSocketAddress node = new InetSocketAddress(route.host(), route.port());
        Connection pooled = borrow(node);
        SocketChannel connection = pooled.channel();
        boolean isReusable = false;
        try {
            DataFrames.writeRequest(pooled.request().clear(),
                new DataFrames.Request(route.ticket(), loadId, chunkId, offsetBytes, lengthBytes));
            TcpDataServer.writeFully(connection, pooled.request().flip());
            ByteBuffer header = pooled.header().clear();
            if (!TcpDataServer.readFully(connection, header)) {
                throw new IOException("data node " + node + " closed the connection before answering chunk "
                    + chunkId);
            }
            int answeredChunk = header.getInt(0);
            int status = header.getInt(4);
            long answeredBytes = header.getLong(8);
            if (status != DataFrames.OK) {
                isReusable = status != DataFrames.BAD_FRAME;
                throw new DataRefusedException(chunkId, status);
            }
            if (answeredChunk != chunkId || answeredBytes != lengthBytes) {
                throw new IOException("data node " + node + " answered chunk " + answeredChunk + " with "
                    + answeredBytes + " bytes to a request for chunk " + chunkId + " with " + lengthBytes + " bytes");
            }
            if (!destination.readFrom(connection, fileIndex, fileOffset, lengthBytes)) {
                throw new IOException("the load's destination was closed while chunk " + chunkId + " arrived");
            }
            isReusable = true;
        } finally {
            if (isReusable && !isClosed) {
                idleByNode.computeIfAbsent(node, ignored -> new ConcurrentLinkedDeque<>()).addFirst(pooled);
            } else {
                connection.close();
            }
        }
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
