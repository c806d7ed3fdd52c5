package io.modelcache.node;

import io.modelcache.partition.PartitionEntity;
import io.modelcache.serialization.ControlMessage;
import io.modelcache.store.NodeStore;
import org.apache.pekko.actor.DeadLetter;
import org.apache.pekko.actor.Dropped;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

import java.util.List;

/**
 * One per data node: answers what the node holds, and frees chunks that arrived for an entity that is gone.
 *
 * <p>A chunk's bytes are copied into node memory while its message is read off the wire, before delivery.
 * If the entity it was sent to has stopped, the message becomes a dead letter and this agent releases its
 * memory, so nothing stays allocated that no partition owns.
 */
public final class NodeAgent {
    /** Data nodes register their agent under this key with the receptionist. */
    public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "modelcache-node");

    /** Everything the agent is asked. */
    public sealed interface Command {
    }

    /** Asks for the node's status. */
    public record GetNodeStatus(ActorRef<NodeStatus> replyTo) implements Command, ControlMessage {
    }

    /**
     * What a node holds.
     *
     * @param address the node's cluster address
     * @param roles the node's cluster roles
     * @param usedBytes off-heap bytes held now
     * @param budgetBytes the off-heap budget
     * @param peakUsedBytes the most off-heap bytes held since start
     * @param chunkCount chunks held now
     * @param heapUsedBytes Java heap in use now
     * @param heapMaxBytes the Java heap's limit
     */
    public record NodeStatus(String address, List<String> roles, long usedBytes, long budgetBytes, long peakUsedBytes,
                             long chunkCount, long heapUsedBytes, long heapMaxBytes) implements ControlMessage {
    }

    private record Undelivered(Object message) implements Command {
    }

    private record MembershipChanged(ClusterEvent.ClusterDomainEvent event) implements Command {
    }

    private NodeAgent() {
    }

    /**
     * @param store the node's store
     * @return the agent's behavior; it registers itself with the receptionist
     */
    public static Behavior<Command> create(NodeStore store) {
        return Behaviors.setup(context -> {
            context.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, context.getSelf()));
            ActorRef<DeadLetter> deadLetters = context.messageAdapter(DeadLetter.class,
                letter -> new Undelivered(letter.message()));
            ActorRef<Dropped> dropped = context.messageAdapter(Dropped.class,
                letter -> new Undelivered(letter.message()));
            context.getSystem().eventStream().tell(new EventStream.Subscribe<>(DeadLetter.class, deadLetters));
            context.getSystem().eventStream().tell(new EventStream.Subscribe<>(Dropped.class, dropped));
            ActorRef<ClusterEvent.MemberEvent> members = context.messageAdapter(ClusterEvent.MemberEvent.class,
                MembershipChanged::new);
            ActorRef<ClusterEvent.ReachabilityEvent> reachability = context.messageAdapter(
                ClusterEvent.ReachabilityEvent.class, MembershipChanged::new);
            Cluster.get(context.getSystem()).subscriptions().tell(
                Subscribe.create(members, ClusterEvent.MemberEvent.class));
            Cluster.get(context.getSystem()).subscriptions().tell(
                Subscribe.create(reachability, ClusterEvent.ReachabilityEvent.class));
            String address = context.getSystem().address().toString();
            List<String> roles = List.copyOf(Cluster.get(context.getSystem()).selfMember().getRoles());

            return Behaviors.receive(Command.class)
                .onMessage(GetNodeStatus.class, get -> {
                    get.replyTo().tell(status(address, roles, store));
                    return Behaviors.same();
                })
                .onMessage(MembershipChanged.class, changed -> {
                    logMembership(context.getLog(), changed.event());
                    return Behaviors.same();
                })
                .onMessage(Undelivered.class, undelivered -> {
                    if (undelivered.message() instanceof PartitionEntity.StoreChunk store1
                        && store1.received() != null) {
                        store1.received().release();
                    }
                    return Behaviors.same();
                })
                .build();
        });
    }

    private static void logMembership(org.slf4j.Logger log, ClusterEvent.ClusterDomainEvent event) {
        switch (event) {
            case ClusterEvent.MemberUp up ->
                log.info("Member up [address={}, roles={}]", up.member().address(), up.member().getRoles());
            case ClusterEvent.MemberRemoved removed -> log.info("Member removed [address={}, previousStatus={}]",
                removed.member().address(), removed.previousStatus());
            case ClusterEvent.UnreachableMember unreachable ->
                log.warn("Member unreachable [address={}]", unreachable.member().address());
            case ClusterEvent.ReachableMember reachable ->
                log.info("Member reachable again [address={}]", reachable.member().address());
            default -> {
            }
        }
    }

    private static NodeStatus status(String address, List<String> roles, NodeStore store) {
        Runtime runtime = Runtime.getRuntime();
        return new NodeStatus(address, roles, store.usedBytes(), store.budgetBytes(), store.peakUsedBytes(),
            store.chunkCount(), runtime.totalMemory() - runtime.freeMemory(), runtime.maxMemory());
    }
}
