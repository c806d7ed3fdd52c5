package io.modelcache.writer;

import io.modelcache.manifest.Manifest;
import io.modelcache.manifest.ManifestRegistry;
import io.modelcache.manifest.ModelState;
import io.modelcache.node.ModelCacheSettings;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;

import java.util.Optional;

/**
 * The writer of a member, at {@code /user/writer}: runs a {@link PutJob} per put and a removal per remove.
 */
public final class ModelWriter {

    /** What the writer is asked. */
    public sealed interface Command {
    }

    /** Stores a model; answers with a {@link PutResult}. */
    public record Put(PutRequest request, ActorRef<PutResult> replyTo) implements Command {
    }

    /** Removes a model and frees its memory; answers with what was freed, or an error. */
    public record Remove(String name, ActorRef<StatusReply<Removed>> replyTo) implements Command {
    }

    /**
     * A removed model.
     *
     * @param modelId {@code name@version}
     * @param chunks chunks freed
     * @param bytes bytes freed
     */
    public record Removed(String modelId, int chunks, long bytes) {
    }

    private ModelWriter() {
    }

    /**
     * @param registry this member's manifest registry
     * @param settings this member's settings
     * @return the writer's behavior
     */
    public static Behavior<Command> create(ActorRef<ManifestRegistry.Command> registry, ModelCacheSettings settings) {
        return Behaviors.setup(context -> Behaviors.receive(Command.class)
            .onMessage(Put.class, put -> {
                context.spawnAnonymous(PutJob.create(put.request(), put.replyTo(), registry, settings));
                return Behaviors.same();
            })
            .onMessage(Remove.class, remove -> {
                context.spawnAnonymous(removal(remove, registry, settings));
                return Behaviors.same();
            })
            .build());
    }

    private sealed interface RemoveStep {
    }

    private record Found(Optional<Manifest> manifest) implements RemoveStep {
    }

    private record Marked(Manifest manifest, Throwable failure) implements RemoveStep {
    }

    private record Freed(Manifest manifest, DropJob.Dropped dropped) implements RemoveStep {
    }

    private record Unlisted(Manifest manifest, DropJob.Dropped dropped, Throwable failure) implements RemoveStep {
    }

    /** Find, mark {@code DELETING}, drop every partition, then remove the manifest. */
    private static Behavior<RemoveStep> removal(Remove remove, ActorRef<ManifestRegistry.Command> registry,
                                                ModelCacheSettings settings) {
        return Behaviors.setup(context -> {
            context.ask(ManifestRegistry.Found.class, registry, settings.registryTimeout(),
                replyTo -> new ManifestRegistry.Find(remove.name(), replyTo),
                (found, failure) -> new Found(found == null ? Optional.empty() : found.manifest()));
            return Behaviors.receive(RemoveStep.class)
                .onMessage(Found.class, found -> {
                    if (found.manifest().isEmpty()) {
                        remove.replyTo().tell(StatusReply.error("model '" + remove.name() + "' not found"));
                        return Behaviors.stopped();
                    }
                    Manifest deleting = found.manifest().get().withState(ModelState.DELETING);
                    context.askWithStatus(Done.class, registry, settings.registryTimeout(),
                        ack -> new ManifestRegistry.Publish(deleting, ack),
                        (done, failure) -> new Marked(deleting, failure));
                    return Behaviors.same();
                })
                .onMessage(Marked.class, marked -> {
                    ActorRef<DropJob.Dropped> afterDrop = context.messageAdapter(DropJob.Dropped.class,
                        dropped -> new Freed(marked.manifest(), dropped));
                    context.spawnAnonymous(DropJob.create(marked.manifest(), settings.locateTimeout(), afterDrop));
                    return Behaviors.same();
                })
                .onMessage(Freed.class, freed -> {
                    context.askWithStatus(Done.class, registry, settings.registryTimeout(),
                        ack -> new ManifestRegistry.Remove(remove.name(), ack),
                        (done, failure) -> new Unlisted(freed.manifest(), freed.dropped(), failure));
                    return Behaviors.same();
                })
                .onMessage(Unlisted.class, unlisted -> {
                    DropJob.Dropped dropped = unlisted.dropped();
                    if (unlisted.failure() != null || !dropped.unanswered().isEmpty()) {
                        remove.replyTo().tell(StatusReply.error("model '" + remove.name() + "' removed incompletely: "
                            + (unlisted.failure() != null ? unlisted.failure().getMessage()
                            : "partitions did not confirm: " + dropped.unanswered())));
                        return Behaviors.stopped();
                    }
                    context.getLog().info("Removed model [id={}, chunks={}, bytes={}]",
                        unlisted.manifest().modelId(), dropped.chunks(), dropped.bytes());
                    remove.replyTo().tell(StatusReply.success(
                        new Removed(unlisted.manifest().modelId(), dropped.chunks(), dropped.bytes())));
                    return Behaviors.stopped();
                })
                .build();
        });
    }
}
