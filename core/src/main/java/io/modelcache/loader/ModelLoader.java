package io.modelcache.loader;

import io.modelcache.manifest.ManifestRegistry;
import io.modelcache.node.ModelCacheSettings;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The loader of a member, at {@code /user/loader}: runs one load job per request, named {@code load-N}, so
 * that its fetchers sit at {@code /user/loader/load-N/fetchers/*}, a large-message destination.
 */
public final class ModelLoader {

    /** What the loader is asked. */
    public sealed interface Command {
    }

    /** Loads a model; answers with a {@link LoadResult}. */
    public record Load(LoadRequest request, ActorRef<LoadResult> replyTo) implements Command {
    }

    private ModelLoader() {
    }

    /**
     * @param registry this member's manifest registry
     * @param settings this member's settings
     * @return the loader's behavior
     */
    public static Behavior<Command> create(ActorRef<ManifestRegistry.Command> registry, ModelCacheSettings settings) {
        return Behaviors.setup(context -> {
            long[] loads = {0};
            return Behaviors.receive(Command.class)
                .onMessage(Load.class, load -> {
                    try {
                        if (load.request().parallelism() != 0) {
                            ModelCacheSettings.checkParallelism("parallelism", load.request().parallelism());
                        }
                    } catch (IllegalArgumentException e) {
                        load.replyTo().tell(new LoadResult.Failed(e.getMessage()));
                        return Behaviors.same();
                    }
                    context.spawn(LoadJob.create(load.request(), load.replyTo(), registry, settings),
                        "load-" + (++loads[0]));
                    return Behaviors.same();
                })
                .build();
        });
    }
}
