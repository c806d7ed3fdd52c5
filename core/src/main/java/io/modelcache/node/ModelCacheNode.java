package io.modelcache.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.modelcache.loader.ModelLoader;
import io.modelcache.manifest.ManifestRegistry;
import io.modelcache.partition.PartitionEntity;
import io.modelcache.writer.ModelWriter;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One cluster member: an actor system with the manifest registry ({@code /user/registry}), the writer
 * ({@code /user/writer}) and the loader ({@code /user/loader}); a data node also hosts partition entities
 * and its {@link NodeAgent}.
 *
 * <p>A data node given no seed joins itself and so starts a cluster. {@link #close()} leaves the cluster
 * through coordinated shutdown and waits for the actor system to end.
 */
public final class ModelCacheNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCacheNode.class);
    /** The actor system's name, the same on every member. */
    public static final String SYSTEM_NAME = "modelcache";

    /** Whether a member holds data or only asks. */
    public enum Role {
        /** Hosts partitions in off-heap memory. */
        DATA("data"),
        /** An inference service or the command line: hosts no partitions. */
        CLIENT("client");

        private final String roleName;

        Role(String roleName) {
            this.roleName = roleName;
        }

        /** @return the cluster role name */
        public String roleName() {
            return roleName;
        }
    }

    private record Actors(ActorRef<ManifestRegistry.Command> registry, ActorRef<ModelWriter.Command> writer,
                          ActorRef<ModelLoader.Command> loader) {
    }

    private final ActorSystem<Void> system;
    private final Actors actors;

    private ModelCacheNode(ActorSystem<Void> system, Actors actors) {
        this.system = system;
        this.actors = actors;
    }

    /**
     * Starts a member and asks it to join the cluster; use {@link #awaitUp(Duration)} to wait until it has.
     *
     * @param role data node or client
     * @param host the address to bind and announce, for example {@code 127.0.0.1}
     * @param port the port; 0 picks a free one
     * @param seeds {@code host:port} of members to join; empty makes a data node start a new cluster
     * @param config settings that override {@code reference.conf} (may be empty)
     * @throws IllegalArgumentException naming the setting when the configuration is invalid
     */
    public static ModelCacheNode start(Role role, String host, int port, List<String> seeds, Config config) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        if (role == Role.CLIENT && seeds.isEmpty()) {
            throw new IllegalArgumentException("a client needs at least one seed to join");
        }
        Config full = ConfigFactory.empty()
            .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
            .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
            .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(List.of(role.roleName())))
            .withFallback(layered(config));
        ModelCacheSettings settings = ModelCacheSettings.from(full);
        List<Address> seedAddresses = parseSeeds(seeds);

        CompletableFuture<Actors> started = new CompletableFuture<>();
        ActorSystem<Void> system = createSystem(guardian(role, settings, started), full, host, port);
        system.getWhenTerminated().thenRun(() -> started.completeExceptionally(
            new IllegalStateException("the actor system stopped while starting; the log above says why")));
        try {
            Actors actors = started.get(30, TimeUnit.SECONDS);
            Cluster cluster = Cluster.get(system);
            List<Address> joinTo = seedAddresses.isEmpty() ? List.of(cluster.selfMember().address()) : seedAddresses;
            cluster.manager().tell(new JoinSeedNodes(joinTo));
            LOG.info("Member started [address={}, role={}, seeds={}]", cluster.selfMember().address(),
                role.roleName(), joinTo);
            return new ModelCacheNode(system, actors);
        } catch (ExecutionException e) {
            system.terminate();
            throw new IllegalStateException("member did not start: " + e.getCause().getMessage(), e);
        } catch (InterruptedException | TimeoutException e) {
            system.terminate();
            throw new IllegalStateException("member did not start within 30 s", e);
        }
    }

    /**
     * Layers a member's configuration, strongest first: system properties, the caller's settings,
     * {@code application.conf}, modelcache's Pekko settings ({@code modelcache-pekko.conf}), every
     * {@code reference.conf}.
     */
    static Config layered(Config config) {
        return ConfigFactory.systemProperties()
            .withFallback(config)
            .withFallback(ConfigFactory.defaultApplication())
            .withFallback(ConfigFactory.parseResources(ModelCacheNode.class.getClassLoader(), "modelcache-pekko.conf"))
            .withFallback(ConfigFactory.defaultReference())
            .resolve();
    }

    private static ActorSystem<Void> createSystem(Behavior<Void> guardian, Config config, String host, int port) {
        try {
            return ActorSystem.create(guardian, SYSTEM_NAME, config);
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof java.net.BindException) {
                    throw new IllegalStateException("cannot listen on " + host + ":" + port + ": address already in "
                        + "use (is a node already running there?)", e);
                }
            }
            throw e;
        }
    }

    private static Behavior<Void> guardian(Role role, ModelCacheSettings settings, CompletableFuture<Actors> started) {
        return Behaviors.setup(context -> {
            NodeRuntime runtime = NodeRuntime.get(context.getSystem());
            PartitionEntity.init(ClusterSharding.get(context.getSystem()), runtime.store());
            if (role == Role.DATA) {
                if (!settings.transport().equals(ModelCacheSettings.ARTERY)) {
                    runtime.startDataServer(context.getSystem().address().getHost().get());
                }
                context.spawn(NodeAgent.create(runtime.store()), "node-agent");
            }
            ActorRef<ManifestRegistry.Command> registry =
                context.spawn(ManifestRegistry.create(settings.registryTimeout()), "registry");
            started.complete(new Actors(registry,
                context.spawn(ModelWriter.create(registry, settings), "writer"),
                context.spawn(ModelLoader.create(registry, settings), "loader")));
            return Behaviors.empty();
        });
    }

    private static List<Address> parseSeeds(List<String> seeds) {
        List<Address> addresses = new ArrayList<>();
        for (String seed : seeds) {
            int colon = seed.lastIndexOf(':');
            if (colon <= 0 || colon == seed.length() - 1) {
                throw new IllegalArgumentException("seed '" + seed + "' is not HOST:PORT");
            }
            int port;
            try {
                port = Integer.parseInt(seed.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("seed '" + seed + "' has port '" + seed.substring(colon + 1)
                    + "', not a number in 1..65535");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("seed '" + seed + "' has port " + port + ", outside 1..65535");
            }
            addresses.add(AddressFromURIString.parse("pekko://" + SYSTEM_NAME + "@" + seed));
        }
        return addresses;
    }

    /**
     * Waits until this member is {@code Up} in the cluster.
     *
     * @throws TimeoutException naming the timeout when it is not up in time
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitUp(Duration timeout) throws TimeoutException, InterruptedException {
        CompletableFuture<Void> up = new CompletableFuture<>();
        org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(system)).registerOnMemberUp(() -> up.complete(null));
        try {
            up.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new TimeoutException("could not join the cluster within " + timeout.toSeconds() + " s");
        }
    }

    /** @return the actor system */
    public ActorSystem<Void> system() {
        return system;
    }

    /** @return this member's address as {@code host:port} */
    public String hostPort() {
        Address address = Cluster.get(system).selfMember().address();
        return address.getHost().get() + ":" + address.getPort().get();
    }

    /** @return this member's manifest registry */
    public ActorRef<ManifestRegistry.Command> registry() {
        return actors.registry();
    }

    /** @return this member's writer */
    public ActorRef<ModelWriter.Command> writer() {
        return actors.writer();
    }

    /** @return this member's loader */
    public ActorRef<ModelLoader.Command> loader() {
        return actors.loader();
    }

    /** @return this member's settings */
    public ModelCacheSettings settings() {
        return NodeRuntime.get(system).settings();
    }

    /**
     * Leaves the cluster and stops the actor system, waiting at most {@code timeout}.
     *
     * @return whether the system ended in time
     */
    public boolean close(Duration timeout) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** Leaves the cluster and stops the actor system, waiting up to 30 s. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
