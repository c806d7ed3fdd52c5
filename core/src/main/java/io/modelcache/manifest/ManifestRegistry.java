package io.modelcache.manifest;

import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.pattern.StatusReply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The member-local front of the manifest registry in Distributed Data.
 *
 * <p>Every member runs one, at {@code /user/registry}. It is asked only by actors of its own member, so its
 * commands never cross the wire; the manifests do, inside the replicated {@code LWWMap}.
 *
 * <p>Writes go to a majority so that a model turns {@code READY} only where most members can see it.
 * Reads ask a majority too, because a client that has just joined has an empty local replica; when a
 * majority does not answer in time the read falls back to the local replica.
 */
public final class ManifestRegistry extends AbstractBehavior<ManifestRegistry.Command> {

    /** The replicated key that holds every manifest, by model name. */
    public static final Key<LWWMap<String, Manifest>> MANIFESTS = LWWMapKey.create("modelcache-manifests");

    /** What the registry is asked. */
    public sealed interface Command {
    }

    /** Stores or replaces a manifest; answers {@code Done} once a majority holds it. */
    public record Publish(Manifest manifest, ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    /** Removes a model's manifest; answers {@code Done} once a majority removed it. */
    public record Remove(String name, ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    /** Finds one manifest by model name, in any state. */
    public record Find(String name, ActorRef<Found> replyTo) implements Command {
    }

    /** The answer to {@link Find}: the manifest, or empty when there is no model of that name. */
    public record Found(Optional<Manifest> manifest) {
    }

    /** Lists every manifest, in any state, sorted by name. */
    public record ListAll(ActorRef<List<Manifest>> replyTo) implements Command {
    }

    private record WriteDone(Replicator.UpdateResponse<LWWMap<String, Manifest>> response, String what,
                             ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    private record ReadDone(Replicator.GetResponse<LWWMap<String, Manifest>> response, boolean isLocal,
                            Consumer<List<Manifest>> answer) implements Command {
    }

    private final ReplicatorMessageAdapter<Command, LWWMap<String, Manifest>> replicator;
    private final SelfUniqueAddress self;
    private final Duration timeout;

    /**
     * @param timeout how long a majority write or read may take
     * @return the registry's behavior
     */
    public static Behavior<Command> create(Duration timeout) {
        return Behaviors.setup(context -> DistributedData.withReplicatorMessageAdapter(
            (ReplicatorMessageAdapter<Command, LWWMap<String, Manifest>> adapter) ->
                new ManifestRegistry(context, adapter, timeout)));
    }

    private ManifestRegistry(ActorContext<Command> context,
                             ReplicatorMessageAdapter<Command, LWWMap<String, Manifest>> replicator,
                             Duration timeout) {
        super(context);
        this.replicator = replicator;
        this.self = DistributedData.get(context.getSystem()).selfUniqueAddress();
        this.timeout = timeout;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Publish.class, this::onPublish)
            .onMessage(Remove.class, this::onRemove)
            .onMessage(Find.class, this::onFind)
            .onMessage(ListAll.class, this::onListAll)
            .onMessage(WriteDone.class, this::onWriteDone)
            .onMessage(ReadDone.class, this::onReadDone)
            .build();
    }

    private Behavior<Command> onPublish(Publish publish) {
        Manifest manifest = publish.manifest();
        replicator.askUpdate(
            askReplyTo -> new Replicator.Update<>(MANIFESTS, LWWMap.empty(), new Replicator.WriteMajority(timeout),
                askReplyTo, map -> map.put(self, manifest.name(), manifest)),
            response -> new WriteDone(response, "publish of model '" + manifest.name() + "'", publish.replyTo()));
        return this;
    }

    private Behavior<Command> onRemove(Remove remove) {
        replicator.askUpdate(
            askReplyTo -> new Replicator.Update<>(MANIFESTS, LWWMap.empty(), new Replicator.WriteMajority(timeout),
                askReplyTo, map -> map.remove(self, remove.name())),
            response -> new WriteDone(response, "removal of model '" + remove.name() + "'", remove.replyTo()));
        return this;
    }

    private Behavior<Command> onFind(Find find) {
        askRead(new Replicator.ReadMajority(timeout), false, manifests -> find.replyTo().tell(
            new Found(manifests.stream().filter(m -> m.name().equals(find.name())).findFirst())));
        return this;
    }

    private Behavior<Command> onListAll(ListAll list) {
        askRead(new Replicator.ReadMajority(timeout), false, list.replyTo()::tell);
        return this;
    }

    private void askRead(Replicator.ReadConsistency consistency, boolean isLocal, Consumer<List<Manifest>> answer) {
        replicator.askGet(
            askReplyTo -> new Replicator.Get<>(MANIFESTS, consistency, askReplyTo),
            response -> new ReadDone(response, isLocal, answer));
    }

    private Behavior<Command> onReadDone(ReadDone done) {
        switch (done.response()) {
            case Replicator.GetSuccess<LWWMap<String, Manifest>> success ->
                done.answer().accept(sorted(success.get(MANIFESTS).getEntries().values()));
            case Replicator.GetFailure<LWWMap<String, Manifest>> ignored when !done.isLocal() ->
                askRead(Replicator.readLocal(), true, done.answer());
            default -> done.answer().accept(List.of());
        }
        return this;
    }

    private Behavior<Command> onWriteDone(WriteDone done) {
        if (done.response() instanceof Replicator.UpdateSuccess<?>) {
            done.replyTo().tell(StatusReply.ack());
        } else {
            done.replyTo().tell(StatusReply.error(done.what() + " was not confirmed by a majority of members within "
                + timeout.toMillis() + " ms (" + done.response().getClass().getSimpleName() + ")"));
        }
        return this;
    }

    private static List<Manifest> sorted(java.util.Collection<Manifest> manifests) {
        List<Manifest> list = new ArrayList<>(manifests);
        list.sort(Comparator.comparing(Manifest::name));
        return List.copyOf(list);
    }
}
