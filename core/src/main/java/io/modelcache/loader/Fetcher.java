package io.modelcache.loader;

import io.modelcache.dataplane.DataPlaneClient.ChunkRead;
import io.modelcache.dataplane.DataRefusedException;
import io.modelcache.dataplane.DataRoute;
import io.modelcache.manifest.ChunkEntry;
import io.modelcache.node.Failures;
import io.modelcache.node.NodeRuntime;
import io.modelcache.partition.PartitionEntity;
import io.modelcache.partition.PartitionEntity.ChunkData;
import io.modelcache.partition.PartitionEntity.ChunkUnavailable;
import io.modelcache.partition.PartitionEntity.FetchReply;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One worker of a load's router: fetches a batch of chunks of one partition, places each where it belongs
 * (unless the serializer already did) and checks its CRC32C.
 *
 * <p>A fetcher is given one batch at a time: the load job sends the first P batches through the round-robin
 * router (one to each fetcher) and every later one straight back to the fetcher that just finished, so the
 * router's size is the load parallelism and a failing partition never leaves requests queued behind it. Over
 * a data plane the whole batch is one request whose chunks the node streams back to back, and a chunk's CRC is
 * checked while the next one arrives; over Artery the chunks are asked for one at a time.
 */
final class Fetcher extends AbstractBehavior<Fetcher.Command> {

    sealed interface Command {
    }

    /**
     * Fetch some chunks of one partition and tell {@code replyTo} how it went: over the data plane when
     * {@code route} is set, else by asking the entity {@code partition} for chunk messages.
     *
     * @param chunkIds the chunks, all held by one partition
     * @param replica which of the partition's replicas to read
     */
    record FetchChunks(List<Integer> chunkIds, int replica, ActorRef<PartitionEntity.Command> partition,
                       DataRoute route, ActorRef<Outcome> replyTo) implements Command {
        FetchChunks {
            chunkIds = List.copyOf(chunkIds);
        }
    }

    /** A chunk that could not be fetched, and why. */
    record ChunkFailure(int chunkId, String reason) {
    }

    /**
     * How a batch ended; the fetcher is free again.
     *
     * @param fetched the chunks now in place with a matching CRC32C
     * @param bytes their bytes
     * @param failures the others
     * @param replica the partition replica that was read
     */
    record Outcome(List<Integer> fetched, long bytes, List<ChunkFailure> failures, int replica,
                   ActorRef<Command> fetcher) {
    }

    private record Answered(FetchReply reply) implements Command {
    }

    private record TimedOut(long batch) implements Command {
    }

    /** A data-plane read of batch {@code batch} ended. */
    private record ReadDone(long batch, List<Integer> fetched, long bytes, List<ChunkFailure> failures)
        implements Command {
    }

    private final long loadId;
    private final LoadDestination destination;
    private final List<ChunkEntry> chunks;
    private final Duration chunkTimeout;
    private final TimerScheduler<Command> timers;
    private final ActorRef<FetchReply> replies;
    private final ArrayDeque<FetchChunks> queue = new ArrayDeque<>();
    private final NodeRuntime runtime;
    /** The batch being fetched, and its sequence number, which tells stale answers and timers apart. */
    private FetchChunks current;
    private long batch;
    /** Over Artery: the next chunk of the batch to ask for, and the results so far. */
    private int next;
    private final List<Integer> fetched = new ArrayList<>();
    private long fetchedBytes;
    private final List<ChunkFailure> failures = new ArrayList<>();
    private Thread reader;
    /** Over Artery: a {@code GetChunk} is unanswered, counted in the member's gauge. */
    private boolean isAsking;

    static Behavior<Command> create(long loadId, LoadDestination destination, List<ChunkEntry> chunks,
                                    Duration chunkTimeout) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers ->
            new Fetcher(context, timers, loadId, destination, chunks, chunkTimeout)));
    }

    private Fetcher(ActorContext<Command> context, TimerScheduler<Command> timers, long loadId,
                    LoadDestination destination, List<ChunkEntry> chunks, Duration chunkTimeout) {
        super(context);
        this.runtime = NodeRuntime.get(context.getSystem());
        this.timers = timers;
        this.loadId = loadId;
        this.destination = destination;
        this.chunks = chunks;
        this.chunkTimeout = chunkTimeout;
        this.replies = context.messageAdapter(FetchReply.class, Answered::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(FetchChunks.class, this::onFetchChunks)
            .onMessage(Answered.class, this::onAnswered)
            .onMessage(TimedOut.class, this::onTimedOut)
            .onMessage(ReadDone.class, this::onReadDone)
            .onSignal(PostStop.class, signal -> onPostStop())
            .build();
    }

    private Behavior<Command> onFetchChunks(FetchChunks fetch) {
        queue.addLast(fetch);
        if (current == null) {
            startNext();
        }
        return this;
    }

    private void startNext() {
        current = queue.pollFirst();
        if (current == null) {
            return;
        }
        batch++;
        fetched.clear();
        fetchedBytes = 0;
        failures.clear();
        if (current.route() != null) {
            // the node streams the batch; allow each chunk its timeout
            timers.startSingleTimer(new TimedOut(batch), chunkTimeout.multipliedBy(current.chunkIds().size()));
            startRead(current, batch);
        } else {
            next = 0;
            askNextChunk();
        }
    }

    /** Reads the batch over the data plane on a virtual thread; the result comes back as a message. */
    private void startRead(FetchChunks fetch, long readBatch) {
        ActorRef<Command> self = getContext().getSelf();
        List<ChunkRead> reads = new ArrayList<>(fetch.chunkIds().size());
        for (int chunkId : fetch.chunkIds()) {
            ChunkEntry chunk = chunks.get(chunkId);
            reads.add(new ChunkRead(chunkId, 0, chunk.lengthBytes(), chunk.fileIndex(), chunk.offsetBytes()));
        }
        reader = Thread.ofVirtual().name("modelcache-fetch").start(() -> {
            List<Integer> landed = new ArrayList<>();
            List<ChunkFailure> failed = new ArrayList<>();
            long[] bytes = {0};
            runtime.loadRequests().enter();
            try {
                runtime.dataClient(fetch.route()).fetchBatch(fetch.route(), loadId, reads, destination,
                    (index, refusal) -> {
                        int chunkId = reads.get(index).chunkId();
                        // checked here, off the actor's dispatcher, while the node sends the next chunk
                        String failure = refusal != null ? refusal.getMessage() : crcMismatch(chunkId);
                        if (failure == null) {
                            landed.add(chunkId);
                            bytes[0] += reads.get(index).lengthBytes();
                        } else {
                            failed.add(new ChunkFailure(chunkId, failure));
                        }
                    });
            } catch (IOException | RuntimeException e) {
                String reason = "data plane read from " + fetch.route().host() + ":" + fetch.route().port()
                    + " failed: " + Failures.describe(e);
                for (ChunkRead read : reads.subList(landed.size() + failed.size(), reads.size())) {
                    failed.add(new ChunkFailure(read.chunkId(), reason));
                }
            } finally {
                runtime.loadRequests().exit();
            }
            self.tell(new ReadDone(readBatch, landed, bytes[0], failed));
        });
    }

    private Behavior<Command> onReadDone(ReadDone done) {
        if (current == null || done.batch() != batch) {
            return this; // the read of a batch that already timed out
        }
        reader = null;
        fetched.addAll(done.fetched());
        fetchedBytes += done.bytes();
        failures.addAll(done.failures());
        finishBatch();
        return this;
    }

    /** Over Artery: asks the entity for the batch's next chunk, or ends the batch when none is left. */
    private void askNextChunk() {
        if (next == current.chunkIds().size()) {
            finishBatch();
            return;
        }
        int chunkId = current.chunkIds().get(next);
        ChunkEntry chunk = chunks.get(chunkId);
        runtime.loadRequests().enter();
        isAsking = true;
        current.partition().tell(new PartitionEntity.GetChunk(loadId, chunkId, chunk.fileIndex(), chunk.offsetBytes(),
            replies));
        timers.startSingleTimer(new TimedOut(batch), chunkTimeout);
    }

    private Behavior<Command> onAnswered(Answered answered) {
        if (current == null || current.route() != null || next == current.chunkIds().size()
            || answered.reply().chunkId() != current.chunkIds().get(next)) {
            return this; // a late answer to a request that already timed out
        }
        endAsk();
        int chunkId = answered.reply().chunkId();
        String failure = switch (answered.reply()) {
            case ChunkData data -> placeAndCheck(chunkId, data);
            case ChunkUnavailable unavailable -> unavailable.reason();
        };
        if (failure == null) {
            fetched.add(chunkId);
            fetchedBytes += chunks.get(chunkId).lengthBytes();
        } else {
            failures.add(new ChunkFailure(chunkId, failure));
        }
        next++;
        askNextChunk();
        return this;
    }

    /** @return why a chunk that came in a message is not in place and intact, or {@code null} when it is */
    private String placeAndCheck(int chunkId, ChunkData data) {
        ChunkEntry chunk = chunks.get(chunkId);
        if (data.lengthBytes() != chunk.lengthBytes()) {
            return "chunk " + chunkId + " arrived with " + data.lengthBytes() + " bytes, expected "
                + chunk.lengthBytes();
        }
        boolean isPlaced = data.landed()
            || data.source() != null && destination.write(chunk.fileIndex(), chunk.offsetBytes(), data.source());
        return isPlaced ? crcMismatch(chunkId) : "chunk " + chunkId + " could not be placed";
    }

    /** @return why the chunk's bytes in place do not match its CRC32C, or {@code null} when they do */
    private String crcMismatch(int chunkId) {
        ChunkEntry chunk = chunks.get(chunkId);
        long crc = destination.crc32c(chunk.fileIndex(), chunk.offsetBytes(), chunk.lengthBytes());
        return crc == chunk.crc32c() ? null : "chunk " + chunkId + " has CRC32C " + Long.toHexString(crc)
            + ", expected " + Long.toHexString(chunk.crc32c());
    }

    private Behavior<Command> onTimedOut(TimedOut timedOut) {
        if (current == null || timedOut.batch() != batch) {
            return this;
        }
        if (reader != null) {
            reader.interrupt(); // closes the connection under a blocked read, so it cannot be reused
            reader = null;
        }
        String reason = "no answer within " + chunkTimeout.toMillis() + " ms per chunk";
        for (int chunkId : current.chunkIds()) {
            if (!fetched.contains(chunkId) && failures.stream().noneMatch(failure -> failure.chunkId() == chunkId)) {
                failures.add(new ChunkFailure(chunkId, reason));
            }
        }
        finishBatch();
        return this;
    }

    /** Over Artery: the chunk asked for was answered or timed out. */
    private void endAsk() {
        if (isAsking) {
            isAsking = false;
            runtime.loadRequests().exit();
        }
    }

    private void finishBatch() {
        endAsk();
        timers.cancelAll();
        current.replyTo().tell(new Outcome(List.copyOf(fetched), fetchedBytes, List.copyOf(failures),
            current.replica(), getContext().getSelf()));
        current = null;
        startNext();
    }

    private Behavior<Command> onPostStop() {
        endAsk();
        if (reader != null) {
            reader.interrupt();
        }
        return this;
    }
}
