package io.modelcache.dataplane;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.exceptions.AeronException;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.modelcache.store.StoredChunk;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A data node's Aeron endpoint: serves chunk requests that carry a ticket this node issued, over UDP from
 * loaders on other media drivers and over IPC from loaders attached to this node's driver.
 *
 * <p>Requests arrive on two subscriptions: UDP at {@code host:port}, the address in the node's
 * {@link DataRoute}, and IPC on a stream id unique in the driver. The server also keeps a counter in its
 * driver ({@link #SERVER_COUNTER_TYPE_ID}, key: port, IPC stream id, host; value: requests answered): a loader
 * attached to the same driver finds it by the route's host and port and asks over IPC instead (see
 * {@link AeronDataClient}).
 *
 * <p>One polling thread decodes requests; each well-formed one is answered on a virtual thread, at most
 * {@value #MAX_ANSWERS_IN_FLIGHT} at once (beyond that the poller waits for a slot, which backs pressure up to the
 * loaders), so a slow loader never stalls the others. The answer goes to the stream and port that the request
 * names, on the host it came from, or over IPC when it came over IPC: a request cannot make the node send to a
 * third host. Bytes go from the chunk's off-heap segment straight into the publication's term buffer (tryClaim,
 * copy, commit), one fragment of at most the publication's max payload at a time (65,472 bytes at MTU 65504, of
 * which 24 are the header), each naming the correlation id and its offset within the range. The chunk's read
 * lock is held for one fragment's copy only, so releasing a chunk waits for one 64 KiB copy, never for a slow
 * loader; a chunk released mid-range ends the answer with NOT_HELD.
 *
 * <p>Refusals (bad ticket, chunk not held, bad range) are answered with their status and affect no other
 * request. Frames that are not requests are counted and dropped. Publications to loaders are kept by (host,
 * port, stream) and closed once unused and disconnected for 10 s; at most {@value #MAX_PUBLICATIONS} are open,
 * and requests from further loaders are dropped (they time out) until some close.
 */
public final class AeronDataServer implements DataPlaneServer {
    /** This transport's name in configuration and routes. */
    public static final String TRANSPORT = "aeron";
    /** The stream that data nodes take requests on over UDP. */
    static final int REQUEST_STREAM_ID = 1001;
    /** The type of the counter that announces a data server to loaders on its driver ("MC"). */
    static final int SERVER_COUNTER_TYPE_ID = 0x4D43;
    /** Every byte of the address space, so that a term buffer's address can be a copy's target as it is. */
    static final MemorySegment ADDRESS_SPACE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static final Logger LOG = LoggerFactory.getLogger(AeronDataServer.class);
    private static final int MAX_ANSWERS_IN_FLIGHT = 256;
    private static final int MAX_PUBLICATIONS = 256;
    private static final int MAX_HOST_BYTES = 96;
    private static final int FRAGMENT_LIMIT = 16;
    private static final long PUBLICATION_IDLE_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long SWEEP_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final AeronMediaDriver driver;
    private final TicketTable tickets;
    private final Subscription udpRequests;
    private final Subscription ipcRequests;
    private final Counter presence;
    private final String host;
    private final int port;
    private final long giveUpNs;
    private final Map<String, Outbound> outboundByLoader = new HashMap<>();
    private final Semaphore answerSlots = new Semaphore(MAX_ANSWERS_IN_FLIGHT);
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong served = new AtomicLong();
    private final AgentRunner poller;
    private volatile boolean isClosed;

    /** A publication to one loader's response stream, and how many answers are using it. */
    private static final class Outbound {
        final Publication publication;
        int users;
        long lastActiveNs;

        Outbound(Publication publication, long nowNs) {
            this.publication = publication;
            this.lastActiveNs = nowNs;
        }
    }

    private AeronDataServer(AeronMediaDriver driver, TicketTable tickets, Subscription udpRequests,
                            Subscription ipcRequests, Counter presence, String host, int port) {
        this.driver = driver;
        this.tickets = tickets;
        this.udpRequests = udpRequests;
        this.ipcRequests = ipcRequests;
        this.presence = presence;
        this.host = host;
        this.port = port;
        this.giveUpNs = driver.settings().responseTimeout().toNanos();
        this.poller = new AgentRunner(driver.settings().newIdleStrategy(),
            e -> LOG.warn("Aeron data plane poller failed [reason={}]", e.toString()), null, new Poller());
        AgentRunner.startOnThread(poller, AeronMediaDriver.daemonThreads("modelcache-aeron-serve"));
    }

    /**
     * Takes requests on UDP at {@code host:port} (0 picks a free port) and over IPC on {@code driver}.
     *
     * @param driver this node's Aeron; the server does not close it
     * @throws IOException if the endpoint cannot be bound
     */
    public static AeronDataServer start(AeronMediaDriver driver, String host, int port, TicketTable tickets)
        throws IOException {
        Aeron aeron = driver.aeron();
        Subscription udp = null;
        Subscription ipc = null;
        try {
            udp = aeron.addSubscription("aeron:udp?endpoint=" + endpoint(host, port), REQUEST_STREAM_ID);
            int boundPort = boundPort(udp);
            int ipcStreamId = AeronDataClient.uniqueStreamId(aeron);
            ipc = aeron.addSubscription("aeron:ipc", ipcStreamId);
            Counter presence = announce(aeron, host, boundPort, ipcStreamId);
            AeronDataServer server = new AeronDataServer(driver, tickets, udp, ipc, presence, host, boundPort);
            LOG.info("Data plane listening [transport=aeron, address={}, ipcStream={}, directory={}]",
                endpoint(host, boundPort), ipcStreamId, driver.directory());
            return server;
        } catch (AeronException | IOException e) {
            CloseHelper.quietClose(udp);
            CloseHelper.quietClose(ipc);
            throw new IOException("cannot listen for the data plane on aeron:udp " + endpoint(host, port) + ": "
                + e.getMessage(), e);
        }
    }

    /** @return the port the driver bound for a UDP subscription, waiting up to 5 s for it to say */
    static int boundPort(Subscription udp) throws IOException {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> bound = udp.localSocketAddresses();
        while (bound.isEmpty() && System.nanoTime() - deadlineNs < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            bound = udp.localSocketAddresses();
        }
        if (bound.isEmpty()) {
            throw new IOException("the media driver did not report the bound address of " + udp.channel());
        }
        String address = bound.getFirst();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /**
     * Announces the server in its driver: key = port (int), IPC stream id (int), host (int length, ASCII).
     *
     * @return the counter, or {@code null} when the host is too long for a key (loaders then use UDP only)
     */
    private static Counter announce(Aeron aeron, String host, int port, int ipcStreamId) {
        if (host.length() > MAX_HOST_BYTES) {
            return null;
        }
        UnsafeBuffer key = new UnsafeBuffer(new byte[2 * Integer.BYTES + Integer.BYTES + host.length()]);
        key.putInt(0, port, ByteOrder.LITTLE_ENDIAN);
        key.putInt(Integer.BYTES, ipcStreamId, ByteOrder.LITTLE_ENDIAN);
        int keyLength = 2 * Integer.BYTES + key.putStringAscii(2 * Integer.BYTES, host, ByteOrder.LITTLE_ENDIAN);
        UnsafeBuffer label = new UnsafeBuffer(new byte[128]);
        int labelLength = label.putStringWithoutLengthAscii(0, "modelcache data server " + endpoint(host, port));
        return aeron.addCounter(SERVER_COUNTER_TYPE_ID, key, 0, keyLength, label, 0, labelLength);
    }

    /**
     * @return the IPC request stream of the server announced in {@code keyBuffer} when it serves
     *     {@code host:port}, otherwise -1
     */
    static int announcedIpcStream(DirectBuffer keyBuffer, String host, int port) {
        if (keyBuffer.getInt(0, ByteOrder.LITTLE_ENDIAN) != port
            || !host.equals(keyBuffer.getStringAscii(2 * Integer.BYTES, ByteOrder.LITTLE_ENDIAN))) {
            return -1;
        }
        return keyBuffer.getInt(Integer.BYTES, ByteOrder.LITTLE_ENDIAN);
    }

    static String endpoint(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String transport() {
        return TRANSPORT;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public long refusals() {
        return refusals.get();
    }

    @Override
    public long served() {
        return served.get();
    }

    /** @return the driver this server takes requests on */
    public AeronMediaDriver driver() {
        return driver;
    }

    private final class Poller implements Agent {
        private long nextSweepNs = System.nanoTime() + SWEEP_INTERVAL_NS;

        @Override
        public int doWork() {
            int work = udpRequests.poll(AeronDataServer.this::onRequest, FRAGMENT_LIMIT)
                + ipcRequests.poll(AeronDataServer.this::onRequest, FRAGMENT_LIMIT);
            long nowNs = System.nanoTime();
            if (nowNs - nextSweepNs >= 0) {
                nextSweepNs = nowNs + SWEEP_INTERVAL_NS;
                sweep(nowNs);
            }
            return work;
        }

        @Override
        public String roleName() {
            return "modelcache-aeron-serve";
        }
    }

    private void onRequest(DirectBuffer buffer, int offset, int length, Header header) {
        boolean isWhole = (header.flags() & FrameDescriptor.UNFRAGMENTED) == FrameDescriptor.UNFRAGMENTED;
        AeronFrames.Request request = isWhole ? AeronFrames.readRequest(buffer, offset, length) : null;
        if (request == null) {
            refusals.incrementAndGet();
            return;
        }
        String source = ((Image) header.context()).sourceIdentity();
        try {
            answerSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Thread.ofVirtual().name("modelcache-aeron-answer").start(() -> {
            try {
                answer(request, source);
            } catch (RuntimeException e) {
                LOG.warn("Aeron data plane answer failed [chunk={}, reason={}]", request.request().chunkId(),
                    e.toString());
            } finally {
                answerSlots.release();
            }
        });
    }

    private void answer(AeronFrames.Request request, String source) {
        boolean isIpc = source.startsWith("aeron:ipc");
        InetAddress peer = isIpc ? null : sourceAddress(source);
        boolean isAddressable = isIpc ? request.responsePort() == 0
            : peer != null && request.responsePort() > 0 && request.responsePort() <= 65535;
        Outbound outbound = isAddressable ? acquire(peer, request) : null;
        if (outbound == null) {
            refusals.incrementAndGet();
            return;
        }
        try {
            int status = serve(outbound.publication, request, peer);
            if (status != DataFrames.OK) {
                refusals.incrementAndGet();
                sendStatus(outbound.publication, request, status);
            }
        } finally {
            release(outbound);
        }
    }

    /** @return OK when the range was sent (or the loader gone), otherwise the refusal still to send */
    private int serve(Publication publication, AeronFrames.Request request, InetAddress peer) {
        DataFrames.Request asked = request.request();
        TicketTable.Grant grant = tickets.lookup(asked.ticket(), asked.loadId());
        boolean isRequesterHere = grant != null
            && (peer == null ? isLocal(grant.requester()) : TcpDataServer.isSameHost(grant.requester(), peer));
        if (!isRequesterHere) {
            return DataFrames.BAD_TICKET;
        }
        StoredChunk chunk = grant.chunksById().get(asked.chunkId());
        if (chunk == null) {
            return DataFrames.NOT_HELD;
        }
        if (asked.offsetBytes() < 0 || asked.lengthBytes() < 0
            || asked.offsetBytes() > chunk.lengthBytes() - asked.lengthBytes()) {
            return DataFrames.BAD_RANGE;
        }
        if (presence != null) {
            presence.incrementOrdered();
        }
        return sendRange(publication, request, chunk);
    }

    /** @return OK when sent or given up on, NOT_HELD when the chunk was released while it was being sent */
    private int sendRange(Publication publication, AeronFrames.Request request, StoredChunk chunk) {
        DataFrames.Request asked = request.request();
        int maxPayloadBytes = publication.maxPayloadLength() - AeronFrames.RESPONSE_HEADER_BYTES;
        BufferClaim claim = new BufferClaim();
        IdleStrategy idle = driver.settings().newIdleStrategy();
        long sentBytes = 0;
        do {
            int payloadBytes = (int) Math.min(maxPayloadBytes, asked.lengthBytes() - sentBytes);
            if (!claim(publication, AeronFrames.RESPONSE_HEADER_BYTES + payloadBytes, claim, idle)) {
                return DataFrames.OK; // the loader is gone or stalled; it times out on its side
            }
            MutableDirectBuffer term = claim.buffer();
            int at = claim.offset();
            AeronFrames.writeResponseHeader(term, at, request.correlationId(), sentBytes, DataFrames.OK,
                asked.chunkId());
            long target = term.addressOffset() + at + AeronFrames.RESPONSE_HEADER_BYTES;
            if (!chunk.copyTo(asked.offsetBytes() + sentBytes, ADDRESS_SPACE, target, payloadBytes)) {
                claim.abort();
                return DataFrames.NOT_HELD;
            }
            claim.commit();
            sentBytes += payloadBytes;
        } while (sentBytes < asked.lengthBytes());
        served.incrementAndGet();
        return DataFrames.OK;
    }

    private void sendStatus(Publication publication, AeronFrames.Request request, int status) {
        BufferClaim claim = new BufferClaim();
        if (claim(publication, AeronFrames.RESPONSE_HEADER_BYTES, claim, driver.settings().newIdleStrategy())) {
            AeronFrames.writeResponseHeader(claim.buffer(), claim.offset(), request.correlationId(), 0, status,
                request.request().chunkId());
            claim.commit();
        }
    }

    /**
     * Claims {@code lengthBytes} in the publication, waiting out back pressure and a connection still being set
     * up, for at most the response timeout.
     *
     * @return {@code false} when the publication is closed, the server closes, or the time ran out
     */
    private boolean claim(Publication publication, int lengthBytes, BufferClaim claim, IdleStrategy idle) {
        long deadlineNs = System.nanoTime() + giveUpNs;
        idle.reset();
        while (true) {
            long result = publication.tryClaim(lengthBytes, claim);
            if (result > 0) {
                return true;
            }
            if (isClosed || result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED
                || System.nanoTime() - deadlineNs > 0) {
                return false;
            }
            idle.idle();
        }
    }

    private Outbound acquire(InetAddress peer, AeronFrames.Request request) {
        String channel = peer == null ? "aeron:ipc"
            : "aeron:udp?endpoint=" + endpoint(peer.getHostAddress(), request.responsePort());
        String key = channel + "#" + request.responseStreamId();
        synchronized (outboundByLoader) {
            Outbound outbound = outboundByLoader.get(key);
            if (outbound == null) {
                if (isClosed || outboundByLoader.size() >= MAX_PUBLICATIONS) {
                    return null;
                }
                try {
                    outbound = new Outbound(driver.aeron().addPublication(channel, request.responseStreamId()),
                        System.nanoTime());
                } catch (AeronException e) {
                    LOG.warn("Cannot answer a data plane request [channel={}, reason={}]", channel, e.getMessage());
                    return null;
                }
                outboundByLoader.put(key, outbound);
            }
            outbound.users++;
            return outbound;
        }
    }

    private void release(Outbound outbound) {
        synchronized (outboundByLoader) {
            outbound.users--;
            outbound.lastActiveNs = System.nanoTime();
        }
    }

    /** Closes publications that no answer uses and that have had no loader for {@link #PUBLICATION_IDLE_NS}. */
    private void sweep(long nowNs) {
        synchronized (outboundByLoader) {
            for (Iterator<Outbound> it = outboundByLoader.values().iterator(); it.hasNext(); ) {
                Outbound outbound = it.next();
                if (outbound.users > 0 || outbound.publication.isConnected()) {
                    outbound.lastActiveNs = nowNs;
                } else if (nowNs - outbound.lastActiveNs > PUBLICATION_IDLE_NS) {
                    it.remove();
                    CloseHelper.quietClose(outbound.publication);
                }
            }
        }
    }

    private static InetAddress sourceAddress(String sourceIdentity) {
        int colon = sourceIdentity.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        String literal = sourceIdentity.substring(0, colon);
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        try {
            return InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** @return whether the requester's host is this machine, as it must be for a request over IPC */
    private static boolean isLocal(String requester) {
        InetAddress address = TcpDataServer.requesterAddress(requester);
        try {
            return address != null
                && (address.isLoopbackAddress() || address.isAnyLocalAddress()
                    || NetworkInterface.getByInetAddress(address) != null);
        } catch (SocketException e) {
            return false;
        }
    }

    /** Stops taking requests, lets answers in flight end (for at most a second), and closes the publications. */
    @Override
    public void close() {
        if (isClosed) {
            return;
        }
        isClosed = true;
        poller.close();
        try {
            if (answerSlots.tryAcquire(MAX_ANSWERS_IN_FLIGHT, 1, TimeUnit.SECONDS)) {
                answerSlots.release(MAX_ANSWERS_IN_FLIGHT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CloseHelper.quietClose(presence);
        CloseHelper.quietClose(udpRequests);
        CloseHelper.quietClose(ipcRequests);
        synchronized (outboundByLoader) {
            outboundByLoader.values().forEach(outbound -> CloseHelper.quietClose(outbound.publication));
            outboundByLoader.clear();
        }
        LOG.info("Data plane stopped [transport=aeron, address={}]", endpoint(host, port));
    }
}
