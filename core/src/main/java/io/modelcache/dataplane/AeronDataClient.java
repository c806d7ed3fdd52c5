package io.modelcache.dataplane;

import io.aeron.Aeron;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.exceptions.AeronException;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.modelcache.loader.LoadDestination;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads chunks from data nodes over Aeron: over IPC from nodes whose server runs on this member's media driver,
 * over UDP from all others.
 *
 * <p>One connection per node, made on the first fetch from it: a request publication to the node and a
 * response subscription of its own, so that every image on that subscription is the node's answer stream and
 * losing it fails exactly that node's requests. To choose the medium, the client looks in its driver's counters
 * for the node's announcement (see {@link AeronDataServer}): found means the node shares this driver, and
 * requests go to its IPC stream with answers on a fresh IPC stream; otherwise requests go over UDP to the
 * route's host and port and answers come to a UDP port bound on the local address that routes to the node.
 *
 * <p>A fetch registers a pending request under a fresh correlation id, sends it and parks. One polling thread
 * (idle strategy from the settings, never a busy spin) reads the answer fragments and copies each one's bytes
 * straight from the term buffer to its offset in the destination: no reassembly buffer. Bytes are counted, and
 * fragments of a request must arrive in order and without gaps (one sender sends each range in order, and Aeron
 * keeps order within an image), so a request completes only when every byte has landed. A request fails with
 * an {@link IOException} when its connection's image goes away or ends, when no bytes arrive for the response
 * timeout, or when the destination closes; a refusal fails it with {@link DataRefusedException}.
 *
 * <p>Abandoning (an interrupt or the timeout) takes the pending request's lock, which the poller holds while it
 * copies: once the fetch returns, no byte of that request lands any more, and later fragments of it are dropped.
 * Lock order: the Aeron client's conductor lock, then this client's connections lock, then a pending request;
 * nothing here calls Aeron while holding either of the latter, since image handlers run under the former.
 *
 * <p>No Aeron call that awaits the driver (adding or closing a publication or subscription) runs on a fetch
 * thread: Aeron's client conductor terminates, for every user of the driver's client, when the thread awaiting
 * the driver is interrupted, and fetch threads are interrupted by design. Connections are made on one connector
 * thread and closed on the poller.
 */
public final class AeronDataClient implements DataPlaneClient {
    /** The stream that loaders take answers on over UDP (each connection has its own port). */
    static final int RESPONSE_STREAM_ID = 1002;
    /** Requests are 72 bytes: a small term for them keeps each connection's log at a few hundred KiB. */
    private static final String REQUEST_CHANNEL_PARAMS = "|term-length=64k|mtu=8192";
    private static final int FRAGMENT_LIMIT = 64;
    private static final long IMAGE_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Logger LOG = LoggerFactory.getLogger(AeronDataClient.class);

    private static final int WAITING = 0;
    private static final int DONE = 1;
    private static final int FAILED = 2;
    private static final int ABANDONED = 3;

    private final AeronMediaDriver driver;
    private final Aeron aeron;
    private final long responseTimeoutNs;
    private final long connectTimeoutNs;
    private final ConcurrentHashMap<String, CompletableFuture<Connection>> connectingByNode =
        new ConcurrentHashMap<>();
    private final Set<Connection> live = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Long, Pending> pendingByCorrelation = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Connection> toClose = new ConcurrentLinkedQueue<>();
    private final ExecutorService connector =
        Executors.newSingleThreadExecutor(AeronMediaDriver.daemonThreads("modelcache-aeron-connect"));
    private final Object connectionsLock = new Object();
    private final AtomicLong correlationIds = new AtomicLong();
    private final AgentRunner poller;
    private volatile Connection[] connections = new Connection[0];
    private volatile boolean isClosed;

    /** @param driver this member's Aeron; the client does not close it */
    public AeronDataClient(AeronMediaDriver driver) {
        this.driver = driver;
        this.aeron = driver.aeron();
        this.responseTimeoutNs = driver.settings().responseTimeout().toNanos();
        this.connectTimeoutNs = driver.settings().connectTimeout().toNanos();
        this.poller = new AgentRunner(driver.settings().newIdleStrategy(),
            e -> LOG.warn("Aeron data plane poller failed [reason={}]", e.toString()), null, new Poller());
        AgentRunner.startOnThread(poller, AeronMediaDriver.daemonThreads("modelcache-aeron-fetch"));
    }

    /** One node's request publication and this client's response subscription for it. */
    private final class Connection {
        final String node;
        final boolean isIpc;
        final Publication requests;
        final Subscription responses;
        final int responseStreamId;
        final int responsePort;
        final FragmentHandler onResponse = this::onResponse;
        volatile String lostReason;
        private long lastCorrelationId;
        private Pending lastPending;

        Connection(String node, boolean isIpc, Publication requests, Subscription responses, int responseStreamId,
                   int responsePort) {
            this.node = node;
            this.isIpc = isIpc;
            this.requests = requests;
            this.responses = responses;
            this.responseStreamId = responseStreamId;
            this.responsePort = responsePort;
        }

        String medium() {
            return isIpc ? "aeron:ipc" : "aeron:udp";
        }

        /** On the poller: finds the fragment's request, cached for the run of fragments that answer one. */
        private void onResponse(DirectBuffer buffer, int offset, int length, Header header) {
            boolean isWhole = (header.flags() & FrameDescriptor.UNFRAGMENTED) == FrameDescriptor.UNFRAGMENTED;
            if (!isWhole || length < AeronFrames.RESPONSE_HEADER_BYTES) {
                return;
            }
            long correlationId = AeronFrames.responseCorrelationId(buffer, offset);
            Pending pending = correlationId == lastCorrelationId ? lastPending
                : pendingByCorrelation.get(correlationId);
            if (pending == null || pending.connection != this) {
                return; // an answer to a request abandoned or already failed
            }
            lastCorrelationId = correlationId;
            lastPending = pending;
            pending.onFragment(buffer, offset, length);
        }
    }

    /** A request waiting for its bytes; its lock is held by the poller while it copies. */
    private static final class Pending {
        final long correlationId;
        final Connection connection;
        final int chunkId;
        final long lengthBytes;
        final LoadDestination destination;
        final int fileIndex;
        final long fileOffset;
        final Thread waiter;
        volatile int state = WAITING;
        volatile long receivedBytes;
        int refusal;
        IOException failure;

        Pending(long correlationId, Connection connection, int chunkId, long lengthBytes,
                LoadDestination destination, int fileIndex, long fileOffset) {
            this.correlationId = correlationId;
            this.connection = connection;
            this.chunkId = chunkId;
            this.lengthBytes = lengthBytes;
            this.destination = destination;
            this.fileIndex = fileIndex;
            this.fileOffset = fileOffset;
            this.waiter = Thread.currentThread();
        }

        synchronized void onFragment(DirectBuffer buffer, int offset, int length) {
            if (state != WAITING) {
                return;
            }
            int status = AeronFrames.responseStatus(buffer, offset);
            if (status != DataFrames.OK) {
                refusal = status;
                finish(FAILED);
                return;
            }
            long atBytes = AeronFrames.responseOffsetBytes(buffer, offset);
            int payloadBytes = length - AeronFrames.RESPONSE_HEADER_BYTES;
            if (AeronFrames.responseChunkId(buffer, offset) != chunkId || atBytes != receivedBytes
                || payloadBytes > lengthBytes - receivedBytes) {
                fail(new IOException("data node " + connection.node + " answered chunk "
                    + AeronFrames.responseChunkId(buffer, offset) + " with " + payloadBytes + " bytes at " + atBytes
                    + " after " + receivedBytes + " of " + lengthBytes + " bytes of chunk " + chunkId));
                return;
            }
            if (payloadBytes > 0 && !place(buffer, offset + AeronFrames.RESPONSE_HEADER_BYTES, atBytes, payloadBytes)) {
                return;
            }
            receivedBytes = atBytes + payloadBytes;
            if (receivedBytes == lengthBytes) {
                finish(DONE);
            }
        }

        private boolean place(DirectBuffer buffer, int offset, long atBytes, int payloadBytes) {
            MemorySegment source = buffer.byteArray() != null
                ? MemorySegment.ofArray(buffer.byteArray()).asSlice(buffer.wrapAdjustment() + offset, payloadBytes)
                : AeronDataServer.ADDRESS_SPACE.asSlice(buffer.addressOffset() + offset, payloadBytes);
            try {
                if (destination.write(fileIndex, fileOffset + atBytes, source)) {
                    return true;
                }
                fail(new IOException("the load's destination was closed while chunk " + chunkId + " arrived, after "
                    + receivedBytes + " of " + lengthBytes + " bytes"));
            } catch (IllegalArgumentException e) {
                fail(new IOException("chunk " + chunkId + " does not fit its destination: " + e.getMessage(), e));
            }
            return false;
        }

        synchronized void fail(IOException cause) {
            if (state == WAITING) {
                failure = cause;
                finish(FAILED);
            }
        }

        /** @return whether the request was still waiting; after this no byte of it lands */
        synchronized boolean abandon() {
            if (state != WAITING) {
                return false;
            }
            state = ABANDONED;
            return true;
        }

        private void finish(int outcome) {
            state = outcome;
            LockSupport.unpark(waiter);
        }
    }

    @Override
    public void fetch(DataRoute route, long loadId, int chunkId, long offsetBytes, long lengthBytes,
                      LoadDestination destination, int fileIndex, long fileOffset)
        throws IOException, DataRefusedException {
        Connection connection = connection(route.host(), route.port());
        Pending pending = new Pending(correlationIds.incrementAndGet(), connection, chunkId, lengthBytes,
            destination, fileIndex, fileOffset);
        pendingByCorrelation.put(pending.correlationId, pending);
        try {
            if (connection.lostReason != null) {
                throw new IOException(connection.lostReason);
            }
            send(connection, new AeronFrames.Request(pending.correlationId,
                new DataFrames.Request(route.ticket(), loadId, chunkId, offsetBytes, lengthBytes),
                connection.responseStreamId, connection.responsePort));
            await(pending);
        } finally {
            pendingByCorrelation.remove(pending.correlationId);
        }
    }

    private void send(Connection connection, AeronFrames.Request request) throws IOException {
        BufferClaim claim = new BufferClaim();
        IdleStrategy idle = driver.settings().newIdleStrategy();
        long deadlineNs = System.nanoTime() + responseTimeoutNs;
        while (true) {
            long result = connection.requests.tryClaim(AeronFrames.REQUEST_BYTES, claim);
            if (result > 0) {
                AeronFrames.writeRequest(claim.buffer(), claim.offset(), request);
                claim.commit();
                return;
            }
            if (result == Publication.NOT_CONNECTED || result == Publication.CLOSED
                || result == Publication.MAX_POSITION_EXCEEDED) {
                String reason = "data node " + connection.node + " is not connected over " + connection.medium();
                lose(connection, reason);
                throw new IOException(reason + " (" + Publication.errorString(result) + ")");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("request for chunk " + request.request().chunkId()
                    + " interrupted before it was sent");
            }
            if (System.nanoTime() - deadlineNs > 0) {
                throw new IOException("data node " + connection.node + " took no request for "
                    + TimeUnit.NANOSECONDS.toMillis(responseTimeoutNs) + " ms (back pressure)");
            }
            idle.idle();
        }
    }

    /** Parks until the poller finishes the request; fails it after the response timeout without new bytes. */
    private void await(Pending pending) throws IOException, DataRefusedException {
        long seenBytes = 0;
        long deadlineNs = System.nanoTime() + responseTimeoutNs;
        while (true) {
            int state = pending.state;
            if (state == DONE) {
                return;
            }
            if (state == FAILED && pending.failure != null) {
                throw pending.failure;
            }
            if (state == FAILED) {
                throw new DataRefusedException(pending.chunkId, pending.refusal);
            }
            long nowNs = System.nanoTime();
            long receivedBytes = pending.receivedBytes;
            if (receivedBytes != seenBytes) {
                seenBytes = receivedBytes;
                deadlineNs = nowNs + responseTimeoutNs;
            }
            if (Thread.currentThread().isInterrupted()) {
                pending.abandon();
                throw new InterruptedIOException("read of chunk " + pending.chunkId + " from data node "
                    + pending.connection.node + " interrupted after " + receivedBytes + " of " + pending.lengthBytes
                    + " bytes");
            }
            if (nowNs - deadlineNs >= 0 && pending.abandon()) {
                throw new IOException("data node " + pending.connection.node + " sent no bytes of chunk "
                    + pending.chunkId + " over " + pending.connection.medium() + " for "
                    + TimeUnit.NANOSECONDS.toMillis(responseTimeoutNs) + " ms, after " + receivedBytes + " of "
                    + pending.lengthBytes + " bytes");
            }
            LockSupport.parkNanos(this, Math.max(1, deadlineNs - nowNs));
        }
    }

    /** @return the medium ({@code aeron:ipc} or {@code aeron:udp}) this client uses for the route's node */
    String medium(DataRoute route) throws IOException {
        return connection(route.host(), route.port()).medium();
    }

    /**
     * @return the node's live connection, made on the connector thread when there is none: an interrupt there
     *     would terminate the Aeron client (its conductor stops on an interrupt while it awaits the driver), so
     *     fetch threads, which the fetcher interrupts, only wait for it
     */
    private Connection connection(String host, int port) throws IOException {
        String node = AeronDataServer.endpoint(host, port);
        while (true) {
            if (isClosed) {
                throw new IOException("the Aeron data client is closed");
            }
            CompletableFuture<Connection> connecting = connectingByNode.computeIfAbsent(node,
                ignored -> CompletableFuture.supplyAsync(() -> connectAndPublish(host, port, node), connector));
            Connection connection;
            try {
                connection = connecting.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while connecting to data node " + node);
            } catch (ExecutionException e) {
                connectingByNode.remove(node, connecting);
                throw e.getCause() instanceof UncheckedIOException failure ? failure.getCause()
                    : new IOException("cannot reach data node " + node + " over aeron: " + e.getCause(), e);
            }
            if (connection.lostReason == null) {
                return connection;
            }
            connectingByNode.remove(node, connecting);
        }
    }

    /** On the connector thread. */
    private Connection connectAndPublish(String host, int port, String node) {
        try {
            Connection connection = connect(host, port, node);
            live.add(connection);
            publishConnections();
            return connection;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Connection connect(String host, int port, String node) throws IOException {
        int ipcRequestStreamId = announcedIpcStream(host, port);
        Subscription responses = null;
        Publication requests = null;
        try {
            Connection connection;
            if (ipcRequestStreamId >= 0) {
                int responseStreamId = uniqueStreamId(aeron);
                responses = aeron.addSubscription("aeron:ipc", responseStreamId, null, this::onImageLost);
                requests = aeron.addPublication("aeron:ipc?" + REQUEST_CHANNEL_PARAMS.substring(1),
                    ipcRequestStreamId);
                connection = new Connection(node, true, requests, responses, responseStreamId, 0);
            } else {
                String local = localAddressToward(host, port).getHostAddress();
                responses = aeron.addSubscription("aeron:udp?endpoint=" + AeronDataServer.endpoint(local, 0),
                    RESPONSE_STREAM_ID, null, this::onImageLost);
                int responsePort = AeronDataServer.boundPort(responses);
                requests = aeron.addPublication("aeron:udp?endpoint=" + node + REQUEST_CHANNEL_PARAMS,
                    AeronDataServer.REQUEST_STREAM_ID);
                connection = new Connection(node, false, requests, responses, RESPONSE_STREAM_ID, responsePort);
            }
            awaitConnected(connection);
            return connection;
        } catch (AeronException | IOException e) {
            CloseHelper.quietClose(requests);
            CloseHelper.quietClose(responses);
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot reach data node " + node + " over aeron: " + e.getMessage(), e);
        }
    }

    private void awaitConnected(Connection connection) throws IOException {
        long deadlineNs = System.nanoTime() + connectTimeoutNs;
        while (!connection.requests.isConnected()) {
            if (isClosed || System.nanoTime() - deadlineNs > 0) {
                throw new IOException("cannot reach data node " + connection.node + " over " + connection.medium()
                    + " within " + TimeUnit.NANOSECONDS.toMillis(connectTimeoutNs) + " ms");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** @return the IPC request stream of a server announced on this client's driver at {@code host:port}, or -1 */
    private int announcedIpcStream(String host, int port) {
        int[] found = {-1};
        aeron.countersReader().forEach((counterId, typeId, keyBuffer, label) -> {
            if (typeId == AeronDataServer.SERVER_COUNTER_TYPE_ID && found[0] < 0) {
                found[0] = AeronDataServer.announcedIpcStream(keyBuffer, host, port);
            }
        });
        return found[0];
    }

    /** @return the local address that the kernel routes to {@code host} from (no packet is sent) */
    private static InetAddress localAddressToward(String host, int port) throws IOException {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.connect(new InetSocketAddress(host, port));
            return ((InetSocketAddress) probe.getLocalAddress()).getAddress();
        } catch (IOException e) {
            throw new IOException("cannot route to data node " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return a stream id no other stream made this way on the driver has: 2^30 plus the low 30 bits of a
     *     driver-wide correlation id, so apart from the fixed UDP streams (below 2^30) and unique until 2^30 ids
     */
    static int uniqueStreamId(Aeron aeron) {
        return 0x4000_0000 | (int) (aeron.nextCorrelationId() & 0x3FFF_FFFF);
    }

    /** Called on the Aeron client's conductor thread: fails the node's requests, takes no lock Aeron waits on. */
    private void onImageLost(Image image) {
        for (Connection connection : connections) {
            if (connection.responses == image.subscription()) {
                lose(connection, "the answer stream of data node " + connection.node + " over " + connection.medium()
                    + " went away");
            }
        }
    }

    /** Marks the connection lost, fails its pending requests and leaves closing it to the poller. */
    private void lose(Connection connection, String reason) {
        synchronized (connectionsLock) {
            if (connection.lostReason != null) {
                return;
            }
            connection.lostReason = reason;
            live.remove(connection);
            publishConnections();
        }
        for (Pending pending : pendingByCorrelation.values()) {
            if (pending.connection == connection) {
                pending.fail(new IOException(reason + " after " + pending.receivedBytes + " of " + pending.lengthBytes
                    + " bytes of chunk " + pending.chunkId));
            }
        }
        toClose.add(connection);
    }

    private void publishConnections() {
        synchronized (connectionsLock) {
            connections = live.toArray(new Connection[0]);
        }
    }

    private final class Poller implements Agent {
        private long nextImageCheckNs = System.nanoTime() + IMAGE_CHECK_INTERVAL_NS;

        @Override
        public int doWork() {
            int work = 0;
            for (Connection connection : connections) {
                work += connection.responses.poll(connection.onResponse, FRAGMENT_LIMIT);
            }
            long nowNs = System.nanoTime();
            if (nowNs - nextImageCheckNs >= 0) {
                nextImageCheckNs = nowNs + IMAGE_CHECK_INTERVAL_NS;
                checkImages();
            }
            for (Connection lost = toClose.poll(); lost != null; lost = toClose.poll()) {
                CloseHelper.quietClose(lost.requests);
                CloseHelper.quietClose(lost.responses);
                work++;
            }
            return work;
        }

        /** A node that closed its answer stream mid-range ends it (end of stream) before the image goes. */
        private void checkImages() {
            for (Connection connection : connections) {
                Subscription responses = connection.responses;
                for (int i = 0, count = responses.imageCount(); i < count; i++) {
                    Image image = responses.imageAtIndex(i);
                    if (image.isEndOfStream() || image.isClosed()) {
                        lose(connection, "data node " + connection.node + " ended its answer stream over "
                            + connection.medium());
                    }
                }
            }
        }

        @Override
        public String roleName() {
            return "modelcache-aeron-fetch";
        }
    }

    /**
     * Fails every request in flight, stops the poller, waits for a connect under way (at most the connect timeout)
     * and closes every connection; later fetches fail.
     */
    @Override
    public void close() {
        if (isClosed) {
            return;
        }
        isClosed = true;
        poller.close();
        connector.shutdown();
        try {
            connector.awaitTermination(connectTimeoutNs + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection connection : live) {
            lose(connection, "the Aeron data client closed");
        }
        for (Connection lost = toClose.poll(); lost != null; lost = toClose.poll()) {
            CloseHelper.quietClose(lost.requests);
            CloseHelper.quietClose(lost.responses);
        }
    }
}
