package io.modelcache.writer;

import io.modelcache.manifest.ChunkEntry;
import io.modelcache.manifest.Manifest;
import io.modelcache.manifest.ManifestRegistry;
import io.modelcache.manifest.ModelState;
import io.modelcache.node.Failures;
import io.modelcache.node.ModelCacheSettings;
import io.modelcache.node.TransferStrategy;
import io.modelcache.partition.PartitionEntity;
import io.modelcache.partition.PartitionEntity.ChunkStored;
import io.modelcache.partition.PartitionEntity.Located;
import io.modelcache.partition.PartitionEntity.StoreChunk;
import io.modelcache.partition.PartitionEntity.StoreRefused;
import io.modelcache.partition.PartitionEntity.StoreReply;
import io.modelcache.placement.Placement;
import io.modelcache.placement.PlacementChoice;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.StreamSupport;

/**
 * Stores one model: plan, check the name, publish {@code STAGING}, locate partitions, send chunks with at
 * most P in flight, check every acknowledged CRC32C, publish {@code READY}.
 *
 * <p>On any failure it drops every partition of the model and removes the manifest before it answers, so a
 * failed put leaves nothing visible or allocated. Chunks still in flight then reach stopped entities and are
 * freed by the receiving node's agent.
 */
final class PutJob extends AbstractBehavior<PutJob.Command> {

    sealed interface Command {
    }

    private record Planned(ModelPlan plan, Throwable failure) implements Command {
    }

    private record ExistingFound(Optional<Manifest> existing) implements Command {
    }

    private record Published(ModelState state, Throwable failure) implements Command {
    }

    private record PartitionLocated(int partition, int replica, Located located, Throwable failure)
        implements Command {
    }

    /** A replica answered a chunk, or did not within the chunk timeout ({@code reply} is then {@code null}). */
    private record StoreAnswered(int chunkId, int replica, StoreReply reply) implements Command {
    }

    private record CleanedUp(String reason) implements Command {
    }

    private final PutRequest request;
    private final ActorRef<PutResult> replyTo;
    private final ActorRef<ManifestRegistry.Command> registry;
    private final ModelCacheSettings settings;
    private final TransferStrategy strategy;
    private final int parallelism;
    private final long startNs = System.nanoTime();

    private ModelPlan plan;
    private Manifest manifest;
    /** Each partition's replicas, located. */
    private ActorRef<PartitionEntity.Command>[][] partitions;
    private int partitionsLocated;
    /** Work is one chunk to one replica: unit u is chunk u / R to replica u % R. */
    private int units;
    private int nextUnit;
    private int inFlightLimit;
    private int inFlight;
    private int peakInFlight;
    private int acknowledged;
    private long acknowledgedBytes;
    private boolean isPublished;

    static Behavior<Command> create(PutRequest request, ActorRef<PutResult> replyTo,
                                    ActorRef<ManifestRegistry.Command> registry, ModelCacheSettings settings) {
        return Behaviors.setup(context -> new PutJob(context, request, replyTo, registry, settings));
    }

    private PutJob(ActorContext<Command> context, PutRequest request,
                   ActorRef<PutResult> replyTo, ActorRef<ManifestRegistry.Command> registry,
                   ModelCacheSettings settings) {
        super(context);
        this.request = request;
        this.replyTo = replyTo;
        this.registry = registry;
        this.settings = settings;
        this.strategy = request.storeStrategy() != null ? request.storeStrategy() : settings.storeStrategy();
        this.parallelism = request.storeParallelism() > 0 ? request.storeParallelism() : settings.storeParallelism();
        start();
    }

    private void start() {
        long dataNodes = StreamSupport.stream(Cluster.get(getContext().getSystem()).state().getMembers().spliterator(),
                false)
            .filter(m -> m.hasRole(PartitionEntity.DATA_ROLE) && m.status() == MemberStatus.up())
            .count();
        if (dataNodes == 0) {
            getContext().getSelf().tell(new CleanedUp("no data node is up in the cluster"));
            return;
        }
        if (request.replicas() > dataNodes) {
            getContext().getSelf().tell(new CleanedUp("replicas " + request.replicas() + " exceeds the " + dataNodes
                + " data node" + (dataNodes == 1 ? "" : "s") + " up; each replica of a partition needs a node of its "
                + "own, so ask for at most " + dataNodes));
            return;
        }
        PlacementChoice placement;
        try {
            placement = placementChoice(dataNodes);
        } catch (IllegalArgumentException e) {
            getContext().getSelf().tell(new CleanedUp(e.getMessage()));
            return;
        }
        Executor blocking = getContext().getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> readPlan(placement), blocking), Planned::new);
    }

    /**
     * The request's placement, else the configured one; the request's partition count, else data nodes times
     * partitions per node (capped by the plan at the model's chunk count).
     */
    private PlacementChoice placementChoice(long dataNodes) {
        Placement placement = Placement.named(request.placement() != null ? request.placement()
            : settings.placement());
        if (request.partitions() > 0) {
            return PlacementChoice.exactly(placement, request.partitions(), request.placementSeed());
        }
        int partitionCount = (int) Math.min(Placement.MAX_PARTITIONS, dataNodes * settings.partitionsPerNode());
        return PlacementChoice.atMost(placement, partitionCount, request.placementSeed());
    }

    private ModelPlan readPlan(PlacementChoice placement) {
        try {
            return ModelPlan.read(request.path(), request.name(), settings.chunkSizeBytes(), placement);
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Planned.class, this::onPlanned)
            .onMessage(ExistingFound.class, this::onExistingFound)
            .onMessage(Published.class, this::onPublished)
            .onMessage(PartitionLocated.class, this::onPartitionLocated)
            .onMessage(StoreAnswered.class, this::onStoreAnswered)
            .onMessage(CleanedUp.class, this::onCleanedUp)
            .build();
    }

    private Behavior<Command> onPlanned(Planned planned) {
        if (planned.failure() != null) {
            return finishFailed(Failures.describe(planned.failure()));
        }
        plan = planned.plan();
        manifest = plan.manifest().withReplicas(request.replicas());
        getContext().ask(ManifestRegistry.Found.class, registry, settings.registryTimeout(),
            replyTo -> new ManifestRegistry.Find(manifest.name(), replyTo),
            (found, failure) -> new ExistingFound(found == null ? Optional.empty() : found.manifest()));
        return this;
    }

    private Behavior<Command> onExistingFound(ExistingFound found) {
        if (found.existing().isPresent()) {
            Manifest existing = found.existing().get();
            if (existing.version().equals(manifest.version()) && existing.state() == ModelState.READY) {
                plan.close();
                replyTo.tell(stored(true));
                return Behaviors.stopped();
            }
            return finishFailed(existing.state() == ModelState.READY
                ? "model '" + manifest.name() + "' already exists as " + existing.modelId() + "; remove it first"
                : "model '" + manifest.name() + "' is being stored or removed by another request (state "
                    + existing.state() + ")");
        }
        publish(ModelState.STAGING);
        return this;
    }

    private void publish(ModelState state) {
        Manifest toPublish = manifest.withState(state);
        getContext().askWithStatus(Done.class, registry, settings.registryTimeout(),
            ack -> new ManifestRegistry.Publish(toPublish, ack),
            (done, failure) -> new Published(state, failure));
    }

    private Behavior<Command> onPublished(Published published) {
        isPublished = true; // even a failed majority write may have reached some replicas: remove it on failure
        if (published.failure() != null) {
            return fail("registry: " + published.failure().getMessage());
        }
        if (published.state() == ModelState.READY) {
            return finishStored();
        }
        locatePartitions();
        return this;
    }

    @SuppressWarnings("unchecked")
    private void locatePartitions() {
        partitions = new ActorRef[manifest.partitionCount()][manifest.replicas()];
        ClusterSharding sharding = ClusterSharding.get(getContext().getSystem());
        for (int p = 0; p < manifest.partitionCount(); p++) {
            for (int r = 0; r < manifest.replicas(); r++) {
                int partition = p;
                int replica = r;
                getContext().ask(Located.class,
                    sharding.entityRefFor(PartitionEntity.TYPE_KEY, manifest.partitionEntityId(partition, replica)),
                    settings.locateTimeout(), PartitionEntity.Locate::new,
                    (located, failure) -> new PartitionLocated(partition, replica, located, failure));
            }
        }
    }

    private Behavior<Command> onPartitionLocated(PartitionLocated located) {
        if (located.located() == null) {
            return fail("partition " + manifest.partitionEntityId(located.partition(), located.replica())
                + " could not be located within " + settings.locateTimeout().toMillis() + " ms");
        }
        partitions[located.partition()][located.replica()] = located.located().partition();
        partitionsLocated++;
        if (partitionsLocated == manifest.partitionCount() * manifest.replicas()) {
            units = manifest.chunks().size() * manifest.replicas();
            inFlightLimit = strategy.inFlight(parallelism, units);
            sendChunks();
        }
        return this;
    }

    /** Sends chunks to replicas while fewer than the strategy's limit are unacknowledged. */
    private void sendChunks() {
        while (inFlight < inFlightLimit && nextUnit < units) {
            int chunkId = nextUnit / manifest.replicas();
            int replica = nextUnit % manifest.replicas();
            nextUnit++;
            ChunkEntry chunk = manifest.chunks().get(chunkId);
            getContext().ask(StoreReply.class, partitions[chunk.partition()][replica], settings.storeChunkTimeout(),
                replyTo -> StoreChunk.of(chunkId, chunk.crc32c(), plan.chunkBytes(chunkId), replyTo),
                (reply, failure) -> new StoreAnswered(chunkId, replica, reply));
            inFlight++;
            peakInFlight = Math.max(peakInFlight, inFlight);
        }
        if (acknowledged == units) {
            publish(ModelState.READY);
        }
    }

    private Behavior<Command> onStoreAnswered(StoreAnswered answered) {
        ChunkEntry chunk = manifest.chunks().get(answered.chunkId());
        switch (answered.reply()) {
            case null -> {
                return fail("chunk " + answered.chunkId() + " of " + fileOf(chunk) + " at offset "
                    + chunk.offsetBytes() + " was not acknowledged by partition "
                    + manifest.partitionEntityId(chunk.partition(), answered.replica()) + " within "
                    + settings.storeChunkTimeout().toMillis() + " ms");
            }
            case ChunkStored stored -> {
                if (stored.crc32c() != chunk.crc32c()) {
                    return fail("chunk " + stored.chunkId() + " of " + fileOf(chunk) + " was stored with CRC32C "
                        + Long.toHexString(stored.crc32c()) + ", expected " + Long.toHexString(chunk.crc32c()));
                }
                inFlight--;
                acknowledged++;
                acknowledgedBytes += chunk.lengthBytes();
                if (request.progress() != null) {
                    request.progress().progressed(acknowledgedBytes, manifest.totalBytes() * manifest.replicas());
                }
                sendChunks();
            }
            case StoreRefused refused -> {
                return fail("chunk " + refused.chunkId() + " refused by partition "
                    + manifest.partitionEntityId(chunk.partition(), answered.replica()) + ": " + refused.reason());
            }
        }
        return this;
    }

    private Behavior<Command> fail(String reason) {
        getContext().getLog().warn("Put failed, removing what was stored [model={}, reason={}]", manifest.name(),
            reason);
        ActorRef<DropJob.Dropped> afterDrop = getContext().messageAdapter(DropJob.Dropped.class,
            dropped -> new CleanedUp(reason));
        getContext().spawnAnonymous(DropJob.create(manifest, settings.locateTimeout(), afterDrop));
        return Behaviors.receive(Command.class)
            .onMessage(CleanedUp.class, cleaned -> removeManifestThenFail(cleaned.reason()))
            .onAnyMessage(ignored -> Behaviors.same())
            .build();
    }

    private Behavior<Command> removeManifestThenFail(String reason) {
        if (!isPublished) {
            return finishFailed(reason);
        }
        getContext().askWithStatus(Done.class, registry, settings.registryTimeout(),
            ack -> new ManifestRegistry.Remove(manifest.name(), ack),
            (done, failure) -> new CleanedUp(reason));
        return Behaviors.receive(Command.class)
            .onMessage(CleanedUp.class, cleaned -> finishFailed(cleaned.reason()))
            .onAnyMessage(ignored -> Behaviors.same())
            .build();
    }

    private Behavior<Command> onCleanedUp(CleanedUp cleaned) {
        return finishFailed(cleaned.reason());
    }

    private Behavior<Command> finishFailed(String reason) {
        if (plan != null) {
            plan.close();
        }
        replyTo.tell(new PutResult.Failed(reason));
        return Behaviors.stopped();
    }

    private Behavior<Command> finishStored() {
        plan.close();
        PutResult.Stored stored = stored(false);
        getContext().getLog().info("Stored model [id={}, bytes={}, chunks={}, partitions={}, replicas={}, "
                + "placement={}, strategy={}, parallelism={}, peakInFlight={}, seconds={}, MBps={}]", stored.modelId(),
            stored.bytes(), stored.chunks(), stored.partitions(), stored.replicas(), manifest.placement(),
            stored.strategy().label(), stored.parallelism(), stored.peakInFlight(),
            String.format("%.3f", stored.seconds()), String.format("%.0f", stored.megabytesPerSecond()));
        replyTo.tell(stored);
        return Behaviors.stopped();
    }

    private PutResult.Stored stored(boolean alreadyStored) {
        double seconds = (System.nanoTime() - startNs) / 1e9;
        return new PutResult.Stored(manifest.modelId(), manifest.totalBytes(), manifest.files().size(),
            manifest.tensors().size(), manifest.chunks().size(), manifest.partitionCount(), manifest.replicas(),
            strategy, inFlightLimit, peakInFlight, seconds, alreadyStored);
    }

    private String fileOf(ChunkEntry chunk) {
        return manifest.files().get(chunk.fileIndex()).path();
    }

}
