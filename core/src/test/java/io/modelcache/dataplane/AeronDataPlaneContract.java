package io.modelcache.dataplane;

import com.typesafe.config.ConfigFactory;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.BufferClaim;
import io.modelcache.loader.OffHeapDestination;
import io.modelcache.testkit.SharedMemory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The data-plane contract over Aeron, plus what only Aeron has: the choice of medium, the response timeout,
 * interrupts that leave nothing landing later. The raw wire is a plain Aeron publication to the node's UDP request
 * stream; fake nodes are plain subscriptions that answer by hand. Every driver is closed after each test and the
 * class checks that none left a directory in shared memory.
 */
abstract class AeronDataPlaneContract extends DataPlaneContract {
    static final AeronSettings SETTINGS = AeronSettings.from(ConfigFactory.parseString("response-timeout = 2 s")
        .withFallback(ConfigFactory.defaultReference().getConfig("modelcache.data-plane.aeron")));

    AeronMediaDriver serverDriver;
    AeronMediaDriver clientDriver;
    private final List<AutoCloseable> rawResources = new ArrayList<>();
    private final List<Thread> fakeNodes = new ArrayList<>();
    private Subscription rawAnswers;
    private ExclusivePublication rawRequests;
    private long rawCorrelationId = 1L << 40;

    /** @return the driver the client attaches to, given the node's */
    abstract AeronMediaDriver clientDriverFor(AeronMediaDriver serverDriver);

    /** @return the medium the client must choose for the node, {@code aeron:udp} or {@code aeron:ipc} */
    abstract String expectedMedium();

    @Override
    DataPlaneServer startServer(TicketTable tickets) throws IOException {
        serverDriver = AeronMediaDriver.start(SETTINGS);
        return AeronDataServer.start(serverDriver, "127.0.0.1", 0, tickets);
    }

    @Override
    DataPlaneClient startClient() {
        clientDriver = clientDriverFor(serverDriver);
        return new AeronDataClient(clientDriver);
    }

    @Override
    void stopTransport() {
        fakeNodes.forEach(Thread::interrupt);
        for (Thread fake : fakeNodes) {
            try {
                fake.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        rawResources.reversed().forEach(AeronDataPlaneContract::closeQuietly);
        if (clientDriver != null && clientDriver != serverDriver) {
            clientDriver.close();
        }
        if (serverDriver != null) {
            serverDriver.close();
        }
    }

    @AfterAll
    static void leavesNothingInSharedMemory() throws IOException {
        SharedMemory.assertNoAeronDirectoryLeft();
    }

    @Test
    void choosesIpcOnlyWhenAttachedToTheNodesDriver() throws Exception {
        assertEquals(expectedMedium(), ((AeronDataClient) client).medium(route));
    }

    @Test
    void readsManyRangesConcurrently() throws Exception {
        int threads = 8;
        int piecesPerThread = 16;
        int pieceBytes = CHUNK_BYTES / (threads * piecesPerThread);
        try (OffHeapDestination destination = destination(CHUNK_BYTES)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * piecesPerThread;
                readers.add(Thread.ofVirtual().start(() -> {
                    try {
                        for (int p = first; p < first + piecesPerThread; p++) {
                            long at = (long) p * pieceBytes;
                            client.fetch(route, LOAD_ID, CHUNK_ID, at, pieceBytes, destination, 0, at);
                        }
                    } catch (Exception | Error e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread reader : readers) {
                reader.join();
            }

            assertEquals(null, failure.get());
            assertEquals(-1, MemorySegment.ofArray(bytes).mismatch(destination.file(0)));
        }
    }

    @Test
    void nodeFallingSilentMidChunkFailsTheFetchAfterTheResponseTimeout() throws Exception {
        DataRoute silent = startFakeNode(CHUNK_BYTES / 2, false, null);
        try (OffHeapDestination destination = destination(CHUNK_BYTES)) {
            long startNs = System.nanoTime();

            IOException failure = assertThrows(IOException.class,
                () -> client.fetch(silent, LOAD_ID, CHUNK_ID, 0, CHUNK_BYTES, destination, 0, 0));

            assertTrue(failure.getMessage().contains("sent no bytes"), failure.getMessage());
            assertTrue(failure.getMessage().contains(CHUNK_BYTES / 2 + " of " + CHUNK_BYTES + " bytes"),
                failure.getMessage());
            assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(10), "failed within the timeout");
        }
        assertFetchesWholeChunk();
    }

    @Test
    void interruptAbandonsTheReadAndNoByteOfItLandsLater() throws Exception {
        CountDownLatch sendRest = new CountDownLatch(1);
        DataRoute slow = startFakeNode(CHUNK_BYTES / 2, false, sendRest);
        try (OffHeapDestination destination = destination(CHUNK_BYTES)) {
            AtomicReference<Exception> outcome = new AtomicReference<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    client.fetch(slow, LOAD_ID, CHUNK_ID, 0, CHUNK_BYTES, destination, 0, 0);
                } catch (Exception e) {
                    outcome.set(e);
                }
            });
            MemorySegment file = destination.file(0);
            awaitTrue(() -> file.get(ValueLayout.JAVA_BYTE, CHUNK_BYTES / 2 - 1) == FAKE_BYTE, "first half landed");

            reader.interrupt();
            reader.join();
            sendRest.countDown();
            Thread.sleep(500);

            assertInstanceOf(InterruptedIOException.class, outcome.get());
            assertEquals(-1, file.asSlice(CHUNK_BYTES / 2).mismatch(MemorySegment.ofArray(new byte[CHUNK_BYTES / 2])),
                "no byte of the second half landed");
        }
        assertFetchesWholeChunk();
    }

    /**
     * Regression: an interrupt of a fetch thread while it waited for the driver to add or close a publication
     * terminated the whole Aeron client (Aeron's conductor stops on an interrupt there). Fresh clients' first
     * fetches are interrupted once, 0 to 3 ms after they start, so that some interrupts land while connecting;
     * the driver's client must stay usable.
     */
    @Test
    void interruptsWhileConnectingLeaveTheAeronClientUsable() throws Exception {
        try (OffHeapDestination destination = destination(CHUNK_BYTES)) {
            for (long delayUs = 0; delayUs <= 3000; delayUs += 150) {
                try (AeronDataClient fresh = new AeronDataClient(clientDriver)) {
                    AtomicReference<Exception> outcome = new AtomicReference<>();
                    Thread reader = Thread.ofVirtual().start(() -> {
                        try {
                            fresh.fetch(route, LOAD_ID, CHUNK_ID, 0, CHUNK_BYTES, destination, 0, 0);
                        } catch (Exception e) {
                            outcome.set(e);
                        }
                    });
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(delayUs));

                    reader.interrupt();
                    reader.join();

                    assertTrue(outcome.get() == null || outcome.get() instanceof InterruptedIOException,
                        "the fetch succeeded or was interrupted: " + outcome.get());
                }
            }
        }
        assertTrue(!clientDriver.aeron().isClosed(), "the Aeron client still runs");
        assertFetchesWholeChunk();
    }

    @Override
    int requestRaw(DataFrames.Request request) {
        openRawWire();
        long correlationId = ++rawCorrelationId;
        UnsafeBuffer frame = new UnsafeBuffer(new byte[AeronFrames.REQUEST_BYTES]);
        int responsePort = Integer.parseInt(rawAnswers.localSocketAddresses().getFirst().split(":")[1]);
        AeronFrames.writeRequest(frame, 0, new AeronFrames.Request(correlationId, request,
            AeronDataClient.RESPONSE_STREAM_ID, responsePort));
        offer(rawRequests, frame, AeronFrames.REQUEST_BYTES);
        int[] status = {-1};
        awaitTrue(() -> {
            rawAnswers.poll((buffer, offset, length, header) -> {
                if (AeronFrames.responseCorrelationId(buffer, offset) == correlationId) {
                    status[0] = AeronFrames.responseStatus(buffer, offset);
                }
            }, 10);
            return status[0] >= 0;
        }, "an answer to the raw request");
        return status[0];
    }

    /** Over Aeron garbage cannot be answered (no trustworthy address): it is counted as a refusal and dropped. */
    @Override
    void sendGarbage(byte[] garbage) {
        openRawWire();
        offer(rawRequests, new UnsafeBuffer(garbage), garbage.length);

        awaitTrue(() -> server.refusals() == 1, "the garbage counted as a refusal");
    }

    @Override
    void sendTruncatedRequest() {
        openRawWire();
        offer(rawRequests, new UnsafeBuffer(new byte[10]), 10);

        awaitTrue(() -> server.refusals() == 1, "the truncated request counted as a refusal");
    }

    /** The fake node closes its answer stream after half a chunk: the loader sees the end of the stream. */
    @Override
    DataRoute routeToNodeThatDropsMidChunk(Ticket ticket) throws IOException {
        return startFakeNode(CHUNK_BYTES / 2, true, null);
    }

    private static final byte FAKE_BYTE = 0x55;

    /**
     * Starts a fake node on the node's driver that answers the first request with {@code firstBytes} bytes of
     * {@link #FAKE_BYTE}, then closes its answer stream ({@code close}), or waits for {@code sendRest} and sends
     * the rest, or falls silent.
     *
     * @return a route to it
     */
    private DataRoute startFakeNode(int firstBytes, boolean close, CountDownLatch sendRest) throws IOException {
        Aeron aeron = serverDriver.aeron();
        Subscription requests = aeron.addSubscription("aeron:udp?endpoint=127.0.0.1:0",
            AeronDataServer.REQUEST_STREAM_ID);
        rawResources.add(requests);
        int port = AeronDataServer.boundPort(requests);
        fakeNodes.add(Thread.ofPlatform().name("fake-node").daemon().start(() -> {
            AtomicReference<AeronFrames.Request> asked = new AtomicReference<>();
            AtomicReference<String> source = new AtomicReference<>();
            while (asked.get() == null && !Thread.currentThread().isInterrupted()) {
                requests.poll((buffer, offset, length, header) -> {
                    asked.set(AeronFrames.readRequest(buffer, offset, length));
                    source.set(((Image) header.context()).sourceIdentity());
                }, 1);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            if (asked.get() == null) {
                return;
            }
            String host = source.get().substring(0, source.get().lastIndexOf(':'));
            ExclusivePublication answers = aeron.addExclusivePublication("aeron:udp?endpoint=" + host + ":"
                + asked.get().responsePort(), asked.get().responseStreamId());
            synchronized (rawResources) {
                rawResources.add(answers);
            }
            sendFake(answers, asked.get(), 0, firstBytes);
            if (close) {
                answers.close();
                return;
            }
            if (sendRest != null) {
                try {
                    sendRest.await();
                } catch (InterruptedException e) {
                    return;
                }
                sendFake(answers, asked.get(), firstBytes, (int) asked.get().request().lengthBytes() - firstBytes);
            }
        }));
        return new DataRoute(AeronDataServer.TRANSPORT, "127.0.0.1", port, ticket);
    }

    private static void sendFake(Publication answers, AeronFrames.Request request, int fromBytes, int lengthBytes) {
        int maxPayloadBytes = answers.maxPayloadLength() - AeronFrames.RESPONSE_HEADER_BYTES;
        BufferClaim claim = new BufferClaim();
        for (int sent = 0; sent < lengthBytes && !Thread.currentThread().isInterrupted(); ) {
            int payloadBytes = Math.min(maxPayloadBytes, lengthBytes - sent);
            if (answers.tryClaim(AeronFrames.RESPONSE_HEADER_BYTES + payloadBytes, claim) <= 0) {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
                continue;
            }
            AeronFrames.writeResponseHeader(claim.buffer(), claim.offset(), request.correlationId(), fromBytes + sent,
                DataFrames.OK, request.request().chunkId());
            claim.buffer().setMemory(claim.offset() + AeronFrames.RESPONSE_HEADER_BYTES, payloadBytes, FAKE_BYTE);
            claim.commit();
            sent += payloadBytes;
        }
    }

    private void openRawWire() {
        if (rawRequests != null) {
            return;
        }
        Aeron aeron = clientDriver.aeron();
        rawAnswers = aeron.addSubscription("aeron:udp?endpoint=127.0.0.1:0", AeronDataClient.RESPONSE_STREAM_ID);
        rawResources.add(rawAnswers);
        rawRequests = aeron.addExclusivePublication("aeron:udp?endpoint=127.0.0.1:" + server.port(),
            AeronDataServer.REQUEST_STREAM_ID);
        rawResources.add(rawRequests);
        awaitTrue(() -> rawRequests.isConnected() && !rawAnswers.localSocketAddresses().isEmpty(),
            "the raw wire connected");
    }

    private static void offer(Publication publication, UnsafeBuffer frame, int lengthBytes) {
        awaitTrue(() -> publication.offer(frame, 0, lengthBytes) > 0, "the raw frame offered");
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadlineNs > 0) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
