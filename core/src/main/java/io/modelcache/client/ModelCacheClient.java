package io.modelcache.client;

import com.typesafe.config.Config;
import io.modelcache.loader.LoadRequest;
import io.modelcache.loader.LoadResult;
import io.modelcache.loader.LoadedModel;
import io.modelcache.loader.ModelLoader;
import io.modelcache.manifest.Manifest;
import io.modelcache.manifest.ManifestRegistry;
import io.modelcache.node.Failures;
import io.modelcache.node.ModelCacheNode;
import io.modelcache.node.NodeAgent;
import io.modelcache.partition.PartitionEntity;
import io.modelcache.partition.PartitionEntity.PartitionInfo;
import io.modelcache.writer.ModelWriter;
import io.modelcache.writer.PutRequest;
import io.modelcache.writer.PutResult;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.stream.StreamSupport;

/**
 * What an inference service (or the command line) uses to store, load and inspect models.
 *
 * <p>{@link #connect} starts a {@code client} member that joins the cluster through the given seeds and
 * hosts no partitions; {@link #of(ModelCacheNode)} uses a member that is already running (a data node, in
 * the demo and tests). Every method answers with a stage that fails with {@link ModelCacheException} (one
 * line saying why) on a refusal.
 */
public final class ModelCacheClient implements AutoCloseable {
    private final ModelCacheNode node;
    private final boolean ownsNode;
    private final ActorSystem<Void> system;
    private final Duration askTimeout;

    private ModelCacheClient(ModelCacheNode node, boolean ownsNode) {
        this.node = node;
        this.ownsNode = ownsNode;
        this.system = node.system();
        this.askTimeout = node.settings().loadTimeout().plus(node.settings().registryTimeout());
    }

    /**
     * Joins the cluster as a client member on a free port of {@code host} and waits until it is up.
     *
     * @param host the address to bind, for example {@code 127.0.0.1}
     * @param seeds {@code host:port} of at least one member
     * @param config settings that override {@code reference.conf} (may be empty)
     * @throws TimeoutException if the client could not join within {@code modelcache.client.join-timeout}
     * @throws InterruptedException if interrupted while joining
     */
    public static ModelCacheClient connect(String host, List<String> seeds, Config config)
        throws TimeoutException, InterruptedException {
        ModelCacheNode node = ModelCacheNode.start(ModelCacheNode.Role.CLIENT, host, 0, seeds, config);
        try {
            node.awaitUp(node.settings().joinTimeout());
        } catch (TimeoutException e) {
            node.close(Duration.ofSeconds(5));
            throw new TimeoutException("could not join the cluster at " + String.join(",", seeds) + " within "
                + node.settings().joinTimeout().toSeconds() + " s: is a node running there?");
        }
        return new ModelCacheClient(node, true);
    }

    /** @return a client that asks through an already running member, which it does not close */
    public static ModelCacheClient of(ModelCacheNode node) {
        return new ModelCacheClient(node, false);
    }

    /**
     * Stores a model: a file, or the regular files under a directory.
     *
     * @return the stored model's id and numbers
     */
    public CompletionStage<PutResult.Stored> put(PutRequest request) {
        CompletionStage<PutResult> answer = AskPattern.ask(node.writer(),
            (ActorRef<PutResult> replyTo) -> new ModelWriter.Put(request, replyTo), askTimeout, system.scheduler());
        return answer.thenApply(result -> switch (result) {
            case PutResult.Stored stored -> stored;
            case PutResult.Failed failed -> throw new ModelCacheException(failed.reason());
        });
    }

    /**
     * Loads a whole model into memory or into a directory.
     *
     * @return the loaded model; close it to free its memory
     */
    public CompletionStage<LoadedModel> load(LoadRequest request) {
        CompletionStage<LoadResult> answer = AskPattern.ask(node.loader(),
            (ActorRef<LoadResult> replyTo) -> new ModelLoader.Load(request, replyTo), askTimeout, system.scheduler());
        return answer.thenApply(result -> switch (result) {
            case LoadResult.Loaded loaded -> loaded.model();
            case LoadResult.Failed failed -> throw new ModelCacheException(failed.reason());
        });
    }

    /** @return every model the cluster knows, in any state, sorted by name */
    public CompletionStage<List<Manifest>> list() {
        return AskPattern.ask(node.registry(), ManifestRegistry.ListAll::new, askTimeout, system.scheduler());
    }

    /** @return one model's manifest, in any state; fails if there is no such model */
    public CompletionStage<Manifest> find(String name) {
        CompletionStage<ManifestRegistry.Found> found = AskPattern.ask(node.registry(),
            (ActorRef<ManifestRegistry.Found> replyTo) -> new ManifestRegistry.Find(name, replyTo), askTimeout,
            system.scheduler());
        return found.thenApply(answer -> answer.manifest()
            .orElseThrow(() -> new ModelCacheException("model '" + name + "' not found")));
    }

    /** @return one model's manifest and where its bytes are; fails if there is no such model */
    public CompletionStage<ModelStat> stat(String name) {
        return find(name).thenCompose(this::partitionsOf);
    }

    private CompletionStage<ModelStat> partitionsOf(Manifest manifest) {
        ClusterSharding sharding = ClusterSharding.get(system);
        Duration timeout = node.settings().locateTimeout();
        List<CompletableFuture<PartitionInfo>> answers = new ArrayList<>();
        for (int p = 0; p < manifest.partitionCount(); p++) {
            answers.add(sharding.entityRefFor(PartitionEntity.TYPE_KEY, manifest.partitionEntityId(p, 0))
                .<PartitionInfo>ask(PartitionEntity.GetPartitionInfo::new, timeout)
                .toCompletableFuture()
                .exceptionally(failure -> null));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<PartitionInfo> partitions = new ArrayList<>();
            List<String> unanswered = new ArrayList<>();
            Map<String, Long> bytesByNode = new TreeMap<>();
            for (int p = 0; p < answers.size(); p++) {
                PartitionInfo info = answers.get(p).join();
                if (info == null) {
                    unanswered.add(manifest.partitionEntityId(p, 0));
                    continue;
                }
                partitions.add(info);
                bytesByNode.merge(info.nodeAddress(), info.bytes(), Long::sum);
            }
            return new ModelStat(manifest, partitions, bytesByNode, unanswered);
        });
    }

    /** Removes a model and frees its memory on every node; fails if there is no such model. */
    public CompletionStage<ModelWriter.Removed> remove(String name) {
        return AskPattern.askWithStatus(node.writer(),
            (ActorRef<org.apache.pekko.pattern.StatusReply<ModelWriter.Removed>> replyTo) ->
                new ModelWriter.Remove(name, replyTo), askTimeout, system.scheduler())
            .exceptionally(failure -> {
                throw new ModelCacheException(Failures.describe(failure));
            });
    }

    /** @return the members and what each data node holds */
    public CompletionStage<ClusterStatus> clusterStatus() {
        List<ClusterStatus.Member> members = StreamSupport
            .stream(Cluster.get(system).state().getMembers().spliterator(), false)
            .map(member -> new ClusterStatus.Member(member.address().toString(), List.copyOf(member.getRoles()),
                member.status().toString(), !Cluster.get(system).state().getUnreachable().contains(member)))
            .toList();
        long dataNodesUp = StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
            .filter(member -> member.hasRole(PartitionEntity.DATA_ROLE)
                && member.status() == org.apache.pekko.cluster.MemberStatus.up())
            .count();
        Duration timeout = node.settings().locateTimeout();
        return findAgents(dataNodesUp, System.nanoTime() + timeout.toNanos()).thenCompose(agents -> {
            List<CompletableFuture<NodeAgent.NodeStatus>> answers = new ArrayList<>();
            for (ActorRef<NodeAgent.Command> agent : agents) {
                answers.add(AskPattern.<NodeAgent.Command, NodeAgent.NodeStatus>ask(agent,
                        NodeAgent.GetNodeStatus::new, timeout, system.scheduler())
                    .toCompletableFuture().exceptionally(failure -> null));
            }
            return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(ignored ->
                new ClusterStatus(members, answers.stream().map(CompletableFuture::join)
                    .filter(java.util.Objects::nonNull)
                    .sorted(java.util.Comparator.comparing(NodeAgent.NodeStatus::address)).toList()));
        });
    }

    /**
     * Asks the receptionist for the data nodes' agents until it knows {@code expected} of them or the deadline
     * passes: a client that has just joined learns the registrations by gossip, a moment after it is up.
     */
    private CompletionStage<java.util.Set<ActorRef<NodeAgent.Command>>> findAgents(long expected, long deadlineNs) {
        CompletionStage<Receptionist.Listing> listing = AskPattern.ask(system.receptionist(),
            (ActorRef<Receptionist.Listing> replyTo) -> Receptionist.find(NodeAgent.SERVICE_KEY, replyTo),
            node.settings().locateTimeout(), system.scheduler());
        return listing.thenCompose(found -> {
            java.util.Set<ActorRef<NodeAgent.Command>> agents = found.getServiceInstances(NodeAgent.SERVICE_KEY);
            if (agents.size() >= expected || System.nanoTime() > deadlineNs) {
                return CompletableFuture.completedFuture(agents);
            }
            return org.apache.pekko.pattern.Patterns.after(Duration.ofMillis(100), system.classicSystem().scheduler(),
                system.executionContext(), () -> findAgents(expected, deadlineNs));
        });
    }

    /** @return the member this client asks through */
    public ModelCacheNode node() {
        return node;
    }

    /** Leaves the cluster if this client started its own member. */
    @Override
    public void close() {
        if (ownsNode) {
            node.close();
        }
    }
}
