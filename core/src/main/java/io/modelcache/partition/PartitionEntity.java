package io.modelcache.partition;

import io.modelcache.dataplane.DataRoute;
import io.modelcache.dataplane.DataPlaneServer;
import io.modelcache.dataplane.Ticket;
import io.modelcache.node.NodeRuntime;
import io.modelcache.serialization.ChunkMessage;
import io.modelcache.serialization.ControlMessage;
import io.modelcache.store.NodeStore;
import io.modelcache.store.StoredChunk;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * Holds the chunks of one partition of one model in the node's off-heap store.
 *
 * <p>The entity id is {@code name@version#partition.replica} ({@link PartitionId}), and it is also the shard
 * id, so that {@link ReplicaAwareAllocationStrategy} can keep the replicas of one partition on distinct nodes.
 * The entity keeps no state outside memory: if its node is lost it restarts empty elsewhere and answers
 * {@link ChunkUnavailable} for what it no longer holds.
 * Automatic passivation is off ({@code pekko.cluster.sharding.passivation.strategy = none}); an entity
 * stops only after {@link DropPartition}, which frees its memory first.
 */
public final class PartitionEntity extends AbstractBehavior<PartitionEntity.Command> {

    /** The sharding type of partition entities; its name is part of the large-message destination path. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "partition");

    /** The cluster role whose members host partitions. */
    public static final String DATA_ROLE = "data";

    /** Everything a partition entity is asked. */
    public sealed interface Command {
    }

    /** Asks the entity for its own reference, so chunks can be sent to it directly. */
    public record Locate(ActorRef<Located> replyTo) implements Command, ControlMessage {
    }

    /** The answer to {@link Locate}. */
    public record Located(String entityId, ActorRef<Command> partition, String nodeAddress) implements ControlMessage {
    }

    /**
     * Stores one chunk. On the sender side {@code source} holds the bytes; a receiving node's serializer
     * copies them straight into {@code received} (memory of this node's store) or, when the budget is full,
     * leaves it {@code null} and says why in {@code refusal}.
     */
    public record StoreChunk(int chunkId, long crc32c, long lengthBytes, MemorySegment source, StoredChunk received,
                             String refusal, ActorRef<StoreReply> replyTo) implements Command, ChunkMessage {
        /** A chunk to send, with its bytes in {@code source}. */
        public static StoreChunk of(int chunkId, long crc32c, MemorySegment source, ActorRef<StoreReply> replyTo) {
            return new StoreChunk(chunkId, crc32c, source.byteSize(), source, null, null, replyTo);
        }
    }

    /** The answers to {@link StoreChunk}. */
    public sealed interface StoreReply {
    }

    /** The chunk is held; {@code crc32c} is what the entity computed over the bytes it holds. */
    public record ChunkStored(int chunkId, long crc32c) implements StoreReply, ControlMessage {
    }

    /** The chunk is not held, and why (for example the node's memory budget). */
    public record StoreRefused(int chunkId, String reason) implements StoreReply, ControlMessage {
    }

    /** Asks for one chunk's bytes for a load, to be placed at {@code fileOffset} of file {@code fileIndex}. */
    public record GetChunk(long loadId, int chunkId, int fileIndex, long fileOffset, ActorRef<FetchReply> replyTo)
        implements Command, ControlMessage {
    }

    /** The answers to {@link GetChunk}. */
    public sealed interface FetchReply {
        /** @return the chunk asked for */
        int chunkId();
    }

    /**
     * A chunk's bytes. Sent with {@code source} set; after crossing the wire the receiver's serializer has
     * already copied the bytes to their place in the load's destination ({@code landed}). Delivered inside
     * one JVM, {@code source} is the entity's own chunk and the receiver copies it.
     */
    public record ChunkData(long loadId, int chunkId, int fileIndex, long fileOffset, long lengthBytes,
                            StoredChunk source, boolean landed) implements FetchReply, ChunkMessage {
    }

    /** The entity does not hold the chunk asked for, and why. */
    public record ChunkUnavailable(long loadId, int chunkId, String reason) implements FetchReply, ControlMessage {
    }

    /**
     * Asks for a data-plane ticket that lets load {@code loadId} of member {@code requester} read this
     * partition's chunks from the node's data port.
     */
    public record IssueTicket(long loadId, String requester, ActorRef<TicketIssued> replyTo)
        implements Command, ControlMessage {
    }

    /**
     * The answer to {@link IssueTicket}: where to read and with what, or why not ({@code route} is then
     * {@code null}).
     */
    public record TicketIssued(String entityId, DataRoute route, String refusal) implements ControlMessage {
    }

    /** Frees every chunk of the partition and stops the entity. */
    public record DropPartition(ActorRef<PartitionDropped> replyTo) implements Command, ControlMessage {
    }

    /** The answer to {@link DropPartition}: what was freed. */
    public record PartitionDropped(String entityId, int chunks, long bytes) implements ControlMessage {
    }

    /** Asks what the partition holds and where. */
    public record GetPartitionInfo(ActorRef<PartitionInfo> replyTo) implements Command, ControlMessage {
    }

    /** The answer to {@link GetPartitionInfo}. */
    public record PartitionInfo(String entityId, String nodeAddress, int chunks, long bytes) implements ControlMessage {
    }

    private final String entityId;
    private final NodeStore store;
    private final String nodeAddress;
    private final Map<Integer, StoredChunk> chunksById = new HashMap<>();
    private long heldBytes;

    /**
     * Registers the entity type with sharding on this member; members without the {@code data} role get a
     * proxy only. Every member routes with the same extractor (one shard per replica), which proxies need as
     * much as regions; the allocation strategy matters only where the coordinator runs, on the oldest data node.
     *
     * @param sharding this member's sharding extension
     * @param store this node's store, or {@code null} on a client
     */
    public static void init(ClusterSharding sharding, NodeStore store) {
        sharding.init(Entity.of(TYPE_KEY, context -> create(context.getEntityId(), store))
            .withRole(DATA_ROLE)
            .withMessageExtractor(new PartitionMessageExtractor())
            .withAllocationStrategy(new ReplicaAwareAllocationStrategy()));
    }

    /**
     * @param entityId the entity id, {@code name@version#partition.replica}
     * @param store the node's store that accounts the chunks
     * @return the entity's behavior
     */
    public static Behavior<Command> create(String entityId, NodeStore store) {
        return Behaviors.setup(context -> new PartitionEntity(context, entityId, store));
    }

    private PartitionEntity(ActorContext<Command> context, String entityId, NodeStore store) {
        super(context);
        this.entityId = entityId;
        this.store = store;
        this.nodeAddress = context.getSystem().address().toString();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Locate.class, this::onLocate)
            .onMessage(StoreChunk.class, this::onStoreChunk)
            .onMessage(GetChunk.class, this::onGetChunk)
            .onMessage(IssueTicket.class, this::onIssueTicket)
            .onMessage(DropPartition.class, this::onDropPartition)
            .onMessage(GetPartitionInfo.class, this::onGetPartitionInfo)
            .onSignal(PostStop.class, signal -> onPostStop())
            .build();
    }

    private Behavior<Command> onLocate(Locate locate) {
        locate.replyTo().tell(new Located(entityId, getContext().getSelf(), nodeAddress));
        return this;
    }

    private Behavior<Command> onStoreChunk(StoreChunk store) {
        StoredChunk chunk = store.received() != null ? store.received() : copyLocal(store);
        if (chunk == null) {
            String reason = store.refusal() != null ? store.refusal() : budgetRefusal(store.lengthBytes());
            store.replyTo().tell(new StoreRefused(store.chunkId(), reason));
            return this;
        }
        StoredChunk previous = chunksById.put(store.chunkId(), chunk);
        if (previous != null) {
            heldBytes -= previous.lengthBytes();
            previous.release();
        }
        heldBytes += chunk.lengthBytes();
        store.replyTo().tell(new ChunkStored(store.chunkId(), chunk.crc32c()));
        return this;
    }

    private StoredChunk copyLocal(StoreChunk message) {
        if (message.source() == null) {
            return null;
        }
        StoredChunk chunk = store.allocate(message.lengthBytes());
        if (chunk != null) {
            chunk.fill(message.source());
        }
        return chunk;
    }

    private String budgetRefusal(long lengthBytes) {
        return "node " + nodeAddress + " memory budget is full: holding " + store.usedBytes() + " of "
            + store.budgetBytes() + " bytes, cannot add a chunk of " + lengthBytes + " bytes";
    }

    private Behavior<Command> onGetChunk(GetChunk get) {
        StoredChunk chunk = chunksById.get(get.chunkId());
        if (chunk == null) {
            get.replyTo().tell(new ChunkUnavailable(get.loadId(), get.chunkId(),
                "partition " + entityId + " on " + nodeAddress + " does not hold chunk " + get.chunkId()));
            return this;
        }
        get.replyTo().tell(new ChunkData(get.loadId(), get.chunkId(), get.fileIndex(), get.fileOffset(),
            chunk.lengthBytes(), chunk, false));
        return this;
    }

    private Behavior<Command> onIssueTicket(IssueTicket issue) {
        NodeRuntime runtime = NodeRuntime.get(getContext().getSystem());
        DataPlaneServer server = runtime.dataServer();
        if (server == null) {
            issue.replyTo().tell(new TicketIssued(entityId, null, "node " + nodeAddress + " serves no data port "
                + "(modelcache.data-plane.transport = " + runtime.settings().transport() + ")"));
            return this;
        }
        Ticket ticket = runtime.tickets().issue(issue.loadId(), issue.requester(), entityId, chunksById,
            runtime.settings().ticketTtl().toNanos());
        issue.replyTo().tell(new TicketIssued(entityId,
            new DataRoute(server.transport(), server.host(), server.port(), ticket), null));
        return this;
    }

    private Behavior<Command> onDropPartition(DropPartition drop) {
        int chunks = chunksById.size();
        long bytes = heldBytes;
        releaseAll();
        drop.replyTo().tell(new PartitionDropped(entityId, chunks, bytes));
        return Behaviors.stopped();
    }

    private Behavior<Command> onGetPartitionInfo(GetPartitionInfo get) {
        get.replyTo().tell(new PartitionInfo(entityId, nodeAddress, chunksById.size(), heldBytes));
        return this;
    }

    private Behavior<Command> onPostStop() {
        releaseAll();
        return this;
    }

    private void releaseAll() {
        for (StoredChunk chunk : chunksById.values()) {
            chunk.release();
        }
        chunksById.clear();
        heldBytes = 0;
    }
}
