package io.modelcache.dataplane;

import io.modelcache.store.StoredChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A data node's data port: serves chunk requests that carry a ticket this node issued.
 *
 * <p>One virtual thread accepts, one virtual thread serves each connection: read a batch request, and for
 * each chunk it names check the ticket, the load, the requesting host and the range, then answer with a
 * header and the bytes written straight from the chunk's off-heap segment (no copy on the heap), one chunk
 * after the other with no round trip between them. A refused chunk gets its status and the rest of the batch
 * and the connection go on; a frame that is not a request gets {@code BAD_FRAME} and the connection is closed.
 * Nothing a client sends can make the server allocate more than the largest request's buffers (1,320 bytes).
 */
public final class TcpDataServer implements DataPlaneServer {
    /** This transport's name in configuration and routes. */
    public static final String TRANSPORT = "tcp";
    private static final Logger LOG = LoggerFactory.getLogger(TcpDataServer.class);

    private final ServerSocketChannel listener;
    private final TicketTable tickets;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong served = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean isClosed;

    private TcpDataServer(ServerSocketChannel listener, TicketTable tickets) {
        this.listener = listener;
        this.tickets = tickets;
        this.acceptor = Thread.ofVirtual().name("modelcache-data-accept").start(this::acceptLoop);
    }

    /**
     * Listens on {@code host:port} (0 picks a free port).
     *
     * @throws IOException if the port cannot be bound
     */
    public static TcpDataServer start(String host, int port, TicketTable tickets) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.bind(new InetSocketAddress(host, port), 256);
        } catch (IOException e) {
            listener.close();
            throw new IOException("cannot listen for the data plane on " + host + ":" + port + ": " + e.getMessage(),
                e);
        }
        TcpDataServer server = new TcpDataServer(listener, tickets);
        LOG.info("Data plane listening [address={}]", server.address());
        return server;
    }

    /** @return the bound address */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("data plane listener is closed", e);
        }
    }

    @Override
    public String transport() {
        return TRANSPORT;
    }

    @Override
    public String host() {
        return address().getHostString();
    }

    @Override
    public int port() {
        return address().getPort();
    }

    @Override
    public long refusals() {
        return refusals.get();
    }

    @Override
    public long served() {
        return served.get();
    }

    private void acceptLoop() {
        while (!isClosed) {
            try {
                SocketChannel connection = listener.accept();
                connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
                connections.add(connection);
                Thread.ofVirtual().name("modelcache-data-serve").start(() -> serve(connection));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!isClosed) {
                    LOG.warn("Data plane accept failed [reason={}]", e.getMessage());
                }
            }
        }
    }

    private void serve(SocketChannel connection) {
        ByteBuffer head = ByteBuffer.allocateDirect(DataFrames.BATCH_HEAD_BYTES);
        ByteBuffer entries = ByteBuffer.allocateDirect(DataFrames.MAX_BATCH_CHUNKS * DataFrames.BATCH_ENTRY_BYTES);
        ByteBuffer header = ByteBuffer.allocateDirect(DataFrames.RESPONSE_HEADER_BYTES);
        try (connection) {
            InetAddress peer = ((InetSocketAddress) connection.getRemoteAddress()).getAddress();
            while (readFully(connection, head.clear())) {
                int count = DataFrames.readBatchCount(head);
                if (count < 0) {
                    refuse(connection, header, 0, DataFrames.BAD_FRAME);
                    connection.shutdownOutput(); // the answer, then end of stream; unread garbage may reset it
                    return;
                }
                if (!readFully(connection, entries.clear().limit(count * DataFrames.BATCH_ENTRY_BYTES))) {
                    return;
                }
                for (int i = 0; i < count; i++) {
                    answer(connection, DataFrames.entry(head, entries, i), header, peer);
                }
            }
        } catch (IOException e) {
            LOG.debug("Data plane connection ended [reason={}]", e.getMessage());
        } finally {
            connections.remove(connection);
        }
    }

    /** Answers one chunk of a batch: its bytes, or the reason it is refused. */
    private void answer(SocketChannel connection, DataFrames.Request request, ByteBuffer header, InetAddress peer)
        throws IOException {
        TicketTable.Grant grant = tickets.lookup(request.ticket(), request.loadId());
        if (grant == null || !isSameHost(grant.requester(), peer)) {
            refuse(connection, header, request.chunkId(), DataFrames.BAD_TICKET);
            return;
        }
        StoredChunk chunk = grant.chunksById().get(request.chunkId());
        if (chunk == null) {
            refuse(connection, header, request.chunkId(), DataFrames.NOT_HELD);
            return;
        }
        if (request.offsetBytes() < 0 || request.lengthBytes() < 0
            || request.offsetBytes() > chunk.lengthBytes() - request.lengthBytes()) {
            refuse(connection, header, request.chunkId(), DataFrames.BAD_RANGE);
            return;
        }
        DataFrames.writeResponseHeader(header.clear(), request.chunkId(), DataFrames.OK, request.lengthBytes());
        if (chunk.writeTo(connection, header.flip(), request.offsetBytes(), request.lengthBytes())) {
            served.incrementAndGet();
        } else {
            refuse(connection, header, request.chunkId(), DataFrames.NOT_HELD);
        }
    }

    private void refuse(SocketChannel connection, ByteBuffer header, int chunkId, int status) throws IOException {
        refusals.incrementAndGet();
        DataFrames.writeResponseHeader(header.clear(), chunkId, status, 0);
        writeFully(connection, header.flip());
    }

    /** @return whether {@code peer} is the host in the requester's cluster address (any loopback counts as one) */
    static boolean isSameHost(String requester, InetAddress peer) {
        InetAddress expected = requesterAddress(requester);
        return expected != null
            && (expected.equals(peer) || expected.isLoopbackAddress() && peer.isLoopbackAddress());
    }

    /**
     * @param requester a cluster address, {@code pekko://system@host:port}
     * @return its host's address, or {@code null} when it has none or it does not resolve
     */
    static InetAddress requesterAddress(String requester) {
        int at = requester.indexOf('@');
        int colon = requester.lastIndexOf(':');
        if (at < 0 || colon < at) {
            return null;
        }
        try {
            return InetAddress.getByName(requester.substring(at + 1, colon));
        } catch (IOException e) {
            return null;
        }
    }

    /** @return {@code false} at a clean end of stream before the first byte */
    static boolean readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                if (buffer.position() == 0) {
                    return false;
                }
                throw new EOFException("connection closed after " + buffer.position() + " of " + buffer.limit()
                    + " bytes of a frame");
            }
        }
        return true;
    }

    static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Stops accepting and closes every connection. */
    @Override
    public void close() {
        isClosed = true;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("Closing the data plane listener failed [reason={}]", e.getMessage());
        }
        for (SocketChannel connection : connections) {
            try {
                connection.close();
            } catch (IOException e) {
                LOG.debug("Closing a data plane connection failed [reason={}]", e.getMessage());
            }
        }
        acceptor.interrupt();
    }
}
