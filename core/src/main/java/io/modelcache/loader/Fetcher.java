package io.modelcache.loader;

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

/**
 * One worker of a load's router: asks partitions for chunks one at a time, places each where it belongs
 * (unless the serializer already did) and checks its CRC32C.
 *
 * <p>A fetcher is given one chunk at a time: the load job sends the first P requests through the round-robin
 * router (one to each fetcher) and every later one straight back to the fetcher that just finished, so the
 * router's size is the load parallelism and a failing partition never leaves requests queued behind it.
 */
final class Fetcher extends AbstractBehavior<Fetcher.Command> {

    sealed interface Command {
    }

    /**
     * Fetch one chunk from one partition and tell {@code replyTo} how it went: over the data plane when
     * {@code route} is set, else by asking the entity {@code partition} for a chunk message.
     */
    record FetchChunk(int chunkId, ChunkEntry chunk, ActorRef<PartitionEntity.Command> partition, DataRoute route,
                      ActorRef<Outcome> replyTo) implements Command {
    }

    /** How one chunk request ended, and which fetcher is free again. */
    sealed interface Outcome {
        int chunkId();

        ActorRef<Command> fetcher();
    }

    record Fetched(int chunkId, long bytes, ActorRef<Command> fetcher) implements Outcome {
    }

    record FetchFailed(int chunkId, String reason, ActorRef<Command> fetcher) implements Outcome {
    }

    private record Answered(FetchReply reply) implements Command {
    }

    private record TimedOut(int chunkId) implements Command {
    }

    /** A data-plane read ended: {@code failure} is {@code null} when the bytes are in place. */
    private record ReadDone(int chunkId, String failure) implements Command {
    }

    private final long loadId;
    private final LoadDestination destination;
    private final Duration chunkTimeout;
    private final TimerScheduler<Command> timers;
    private final ActorRef<FetchReply> replies;
    private final ArrayDeque<FetchChunk> queue = new ArrayDeque<>();
    private final NodeRuntime runtime;
    private FetchChunk current;
    private Thread reader;

    static Behavior<Command> create(long loadId, LoadDestination destination, Duration chunkTimeout) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers ->
            new Fetcher(context, timers, loadId, destination, chunkTimeout)));
    }

    private Fetcher(ActorContext<Command> context, TimerScheduler<Command> timers, long loadId,
                    LoadDestination destination, Duration chunkTimeout) {
        super(context);
        this.runtime = NodeRuntime.get(context.getSystem());
        this.timers = timers;
        this.loadId = loadId;
        this.destination = destination;
        this.chunkTimeout = chunkTimeout;
        this.replies = context.messageAdapter(FetchReply.class, Answered::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(FetchChunk.class, this::onFetchChunk)
            .onMessage(Answered.class, this::onAnswered)
            .onMessage(TimedOut.class, this::onTimedOut)
            .onMessage(ReadDone.class, this::onReadDone)
            .onSignal(PostStop.class, signal -> onPostStop())
            .build();
    }

    private Behavior<Command> onFetchChunk(FetchChunk fetch) {
        queue.addLast(fetch);
        if (current == null) {
            next();
        }
        return this;
    }

    private void next() {
        current = queue.pollFirst();
        if (current == null) {
            return;
        }
        ChunkEntry chunk = current.chunk();
        if (current.route() != null) {
            startRead(current);
        } else {
            current.partition().tell(new PartitionEntity.GetChunk(loadId, current.chunkId(), chunk.fileIndex(),
                chunk.offsetBytes(), replies));
        }
        timers.startSingleTimer(new TimedOut(current.chunkId()), chunkTimeout);
    }

    /** Reads the chunk over the data plane on a virtual thread; the answer comes back as a message. */
    private void startRead(FetchChunk fetch) {
        ActorRef<Command> self = getContext().getSelf();
        ChunkEntry chunk = fetch.chunk();
        reader = Thread.ofVirtual().name("modelcache-fetch").start(() -> {
            String failure = null;
            try {
                runtime.dataClient(fetch.route()).fetch(fetch.route(), loadId, fetch.chunkId(), 0,
                    chunk.lengthBytes(), destination, chunk.fileIndex(), chunk.offsetBytes());
                failure = crcMismatch(fetch.chunkId(), chunk); // checked here, off the actor's dispatcher
            } catch (DataRefusedException e) {
                failure = e.getMessage();
            } catch (IOException | RuntimeException e) {
                failure = "data plane read from " + fetch.route().host() + ":" + fetch.route().port() + " failed: "
                    + Failures.describe(e);
            }
            self.tell(new ReadDone(fetch.chunkId(), failure));
        });
    }

    private Behavior<Command> onReadDone(ReadDone done) {
        if (current == null || done.chunkId() != current.chunkId()) {
            return this; // the read of a request that already timed out
        }
        timers.cancelAll();
        reader = null;
        current.replyTo().tell(done.failure() != null ? failed(done.failure())
            : new Fetched(current.chunkId(), current.chunk().lengthBytes(), getContext().getSelf()));
        next();
        return this;
    }

    private Behavior<Command> onAnswered(Answered answered) {
        if (current == null || answered.reply().chunkId() != current.chunkId()) {
            return this; // a late answer to a request that already timed out
        }
        timers.cancelAll();
        Outcome outcome = switch (answered.reply()) {
            case ChunkData data -> check(data);
            case ChunkUnavailable unavailable -> failed(unavailable.reason());
        };
        current.replyTo().tell(outcome);
        next();
        return this;
    }

    private Outcome check(ChunkData data) {
        ChunkEntry chunk = current.chunk();
        if (data.lengthBytes() != chunk.lengthBytes()) {
            return failed("chunk " + current.chunkId() + " arrived with " + data.lengthBytes() + " bytes, expected "
                + chunk.lengthBytes());
        }
        boolean isPlaced = data.landed()
            || data.source() != null && destination.write(chunk.fileIndex(), chunk.offsetBytes(), data.source());
        if (!isPlaced) {
            return failed("chunk " + current.chunkId() + " could not be placed");
        }
        return checkCrc();
    }

    private Outcome checkCrc() {
        String mismatch = crcMismatch(current.chunkId(), current.chunk());
        return mismatch != null ? failed(mismatch)
            : new Fetched(current.chunkId(), current.chunk().lengthBytes(), getContext().getSelf());
    }

    /** @return why the chunk's bytes in place do not match its CRC32C, or {@code null} when they do */
    private String crcMismatch(int chunkId, ChunkEntry chunk) {
        long crc = destination.crc32c(chunk.fileIndex(), chunk.offsetBytes(), chunk.lengthBytes());
        return crc == chunk.crc32c() ? null : "chunk " + chunkId + " has CRC32C " + Long.toHexString(crc)
            + ", expected " + Long.toHexString(chunk.crc32c());
    }

    private FetchFailed failed(String reason) {
        return new FetchFailed(current.chunkId(), reason, getContext().getSelf());
    }

    private Behavior<Command> onTimedOut(TimedOut timedOut) {
        if (current == null || timedOut.chunkId() != current.chunkId()) {
            return this;
        }
        if (reader != null) {
            reader.interrupt(); // closes the connection under a blocked read, so it cannot be reused
            reader = null;
        }
        current.replyTo().tell(failed("no answer within " + chunkTimeout.toMillis() + " ms"));
        next();
        return this;
    }

    private Behavior<Command> onPostStop() {
        if (reader != null) {
            reader.interrupt();
        }
        return this;
    }
}
