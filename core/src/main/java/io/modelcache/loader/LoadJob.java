package io.modelcache.loader;

import io.modelcache.dataplane.DataRoute;
import io.modelcache.manifest.ChunkEntry;
import io.modelcache.manifest.FileEntry;
import io.modelcache.manifest.Manifest;
import io.modelcache.manifest.ManifestRegistry;
import io.modelcache.manifest.ModelState;
import io.modelcache.node.Failures;
import io.modelcache.node.ModelCacheSettings;
import io.modelcache.node.NodeRuntime;
import io.modelcache.node.TransferStrategy;
import io.modelcache.partition.PartitionEntity;
import io.modelcache.partition.PartitionEntity.Located;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.Routers;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Gathers one model: find the manifest, prepare the destination, locate partitions, send every chunk
 * request through the router of fetchers, retry a failed chunk once after locating its partition again,
 * check SHA-256, answer.
 *
 * <p>A chunk that fails twice, or a partition that cannot be located, ends the load at once, naming every
 * chunk of that partition not yet fetched: with one replica there is nowhere else to get them, and waiting
 * out each of their timeouts would only delay the same answer.
 */
final class LoadJob extends AbstractBehavior<LoadJob.Command> {

    sealed interface Command {
    }

    private record Found(Optional<Manifest> manifest) implements Command {
    }

    private record DestinationReady(LoadDestination destination, Throwable failure) implements Command {
    }

    /** Where a partition's chunks are read: its entity (Artery transport) or a data-plane route (tcp). */
    private record PartitionLocated(int partition, int replica, ActorRef<PartitionEntity.Command> entity,
                                    DataRoute route, String failure) implements Command {
    }

    private record FetchOutcome(Fetcher.Outcome outcome) implements Command {
    }

    private record Verified(String mismatch, Throwable failure) implements Command {
    }

    private record LoadTimedOut() implements Command {
    }

    private static final int MAX_IDS_IN_MESSAGE = 20;

    private final LoadRequest request;
    private final ActorRef<LoadResult> replyTo;
    private final ActorRef<ManifestRegistry.Command> registry;
    private final ModelCacheSettings settings;
    private final TransferStrategy strategy;
    private int parallelism;
    private final long startNs = System.nanoTime();
    private final ActorRef<Fetcher.Outcome> outcomes;
    private final Executor blocking;

    private Manifest manifest;
    private LoadDestination destination;
    private long loadId;
    private ActorRef<Fetcher.Command> fetchers;
    /** Each partition replica's entity (Artery) or route (data plane), by partition then replica. */
    private ActorRef<PartitionEntity.Command>[][] partitions;
    private DataRoute[][] routes;
    /** Replicas located and not failed since; reads go to them in turn. */
    private boolean[][] usable;
    private boolean[][] locating;
    private int[] nextReplica;
    /** Chunks of partitions with no usable replica now, by partition. */
    private List<List<Integer>> waitingByPartition;
    /** Chunks ready to be fetched, their partition located, by partition. */
    private List<ArrayDeque<Integer>> pendingByPartition;
    /** Partitions with pending chunks, taken in turn so concurrent batches spread over partitions and nodes. */
    private final ArrayDeque<Integer> readyPartitions = new ArrayDeque<>();
    private int pendingCount;
    /** Fetchers with nothing to do; the first {@code routerSlots} requests go through the router instead. */
    private final ArrayDeque<ActorRef<Fetcher.Command>> idleFetchers = new ArrayDeque<>();
    private int routerSlots;
    private BitSet fetched;
    private byte[] attempts;
    private int fetchedCount;
    private long fetchedBytes;
    private long transferStartNs;
    private double transferSeconds;

    static Behavior<Command> create(LoadRequest request, ActorRef<LoadResult> replyTo,
                                    ActorRef<ManifestRegistry.Command> registry, ModelCacheSettings settings) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers ->
            new LoadJob(context, timers, request, replyTo, registry, settings)));
    }

    @SuppressWarnings("unchecked")
    private LoadJob(ActorContext<Command> context, TimerScheduler<Command> timers, LoadRequest request,
                    ActorRef<LoadResult> replyTo, ActorRef<ManifestRegistry.Command> registry,
                    ModelCacheSettings settings) {
        super(context);
        this.request = request;
        this.replyTo = replyTo;
        this.registry = registry;
        this.settings = settings;
        this.strategy = request.strategy() != null ? request.strategy() : settings.loadStrategy();
        this.parallelism = request.parallelism() > 0 ? request.parallelism() : settings.loadParallelism();
        this.outcomes = context.messageAdapter(Fetcher.Outcome.class, FetchOutcome::new);
        this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        timers.startSingleTimer(new LoadTimedOut(), settings.loadTimeout());
        context.ask(ManifestRegistry.Found.class, registry, settings.registryTimeout(),
            ask -> new ManifestRegistry.Find(request.name(), ask),
            (found, failure) -> new Found(found == null ? Optional.empty() : found.manifest()));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Found.class, this::onFound)
            .onMessage(DestinationReady.class, this::onDestinationReady)
            .onMessage(PartitionLocated.class, this::onPartitionLocated)
            .onMessage(FetchOutcome.class, this::onFetchOutcome)
            .onMessage(LoadTimedOut.class, this::onLoadTimedOut)
            .build();
    }

    private Behavior<Command> onFound(Found found) {
        if (found.manifest().isEmpty()) {
            return fail("model '" + request.name() + "' not found");
        }
        manifest = found.manifest().get();
        if (manifest.state() != ModelState.READY) {
            return fail("model '" + request.name() + "' is not ready (state " + manifest.state() + ")");
        }
        getContext().pipeToSelf(CompletableFuture.supplyAsync(this::openDestination, blocking),
            DestinationReady::new);
        return this;
    }

    private LoadDestination openDestination() {
        if (request.segments() != null) {
            return new SegmentDestination(manifest, request.segments());
        }
        if (request.outputDirectory() == null) {
            return new OffHeapDestination(manifest);
        }
        try {
            return new FileDestination(manifest, request.outputDirectory());
        } catch (java.io.IOException e) {
            throw new CompletionException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Behavior<Command> onDestinationReady(DestinationReady ready) {
        if (ready.failure() != null) {
            return fail("cannot prepare the destination: " + Failures.describe(ready.failure()));
        }
        destination = ready.destination();
        loadId = NodeRuntime.get(getContext().getSystem()).register(destination);
        fetched = new BitSet(manifest.chunks().size());
        attempts = new byte[manifest.chunks().size()];
        partitions = new ActorRef[manifest.partitionCount()][manifest.replicas()];
        routes = new DataRoute[manifest.partitionCount()][manifest.replicas()];
        usable = new boolean[manifest.partitionCount()][manifest.replicas()];
        locating = new boolean[manifest.partitionCount()][manifest.replicas()];
        nextReplica = new int[manifest.partitionCount()];
        waitingByPartition = new ArrayList<>();
        pendingByPartition = new ArrayList<>();
        for (int p = 0; p < manifest.partitionCount(); p++) {
            waitingByPartition.add(new ArrayList<>());
            pendingByPartition.add(new ArrayDeque<>());
        }
        for (int c = 0; c < manifest.chunks().size(); c++) {
            waitingByPartition.get(manifest.chunks().get(c).partition()).add(c);
        }
        parallelism = strategy.inFlight(parallelism, manifest.chunks().size());
        routerSlots = parallelism;
        fetchers = getContext().spawn(Routers.pool(parallelism,
                Behaviors.supervise(
                        Fetcher.create(loadId, destination, manifest.chunks(), settings.fetchChunkTimeout()))
                    .onFailure(SupervisorStrategy.restart()))
            .withRoundRobinRouting(), "fetchers");
        transferStartNs = System.nanoTime();
        if (manifest.chunks().isEmpty()) {
            return verify();
        }
        for (int p = 0; p < manifest.partitionCount(); p++) {
            for (int r = 0; r < manifest.replicas(); r++) {
                locate(p, r);
            }
        }
        return this;
    }

    /**
     * Finds where a partition replica's chunks are read now: asks its entity, through sharding, for a ticket or
     * its ref.
     */
    private void locate(int partition, int replica) {
        locating[partition][replica] = true;
        String entityId = manifest.partitionEntityId(partition, replica);
        var entity = ClusterSharding.get(getContext().getSystem()).entityRefFor(PartitionEntity.TYPE_KEY, entityId);
        String notLocated = "partition " + entityId + " could not be located within "
            + settings.locateTimeout().toMillis() + " ms";
        if (settings.transport().equals(ModelCacheSettings.ARTERY)) {
            getContext().ask(Located.class, entity, settings.locateTimeout(), PartitionEntity.Locate::new,
                (located, failure) -> located == null
                    ? new PartitionLocated(partition, replica, null, null, notLocated)
                    : new PartitionLocated(partition, replica, located.partition(), null, null));
            return;
        }
        String requester = getContext().getSystem().address().toString();
        getContext().ask(PartitionEntity.TicketIssued.class, entity, settings.locateTimeout(),
            replyTo -> new PartitionEntity.IssueTicket(loadId, requester, replyTo),
            (issued, failure) -> issued == null ? new PartitionLocated(partition, replica, null, null, notLocated)
                : new PartitionLocated(partition, replica, null, issued.route(), issued.refusal()));
    }

    private Behavior<Command> onPartitionLocated(PartitionLocated located) {
        int partition = located.partition();
        locating[partition][located.replica()] = false;
        if (located.failure() != null) {
            getContext().getLog().debug("Replica not usable [partition={}, reason={}]",
                manifest.partitionEntityId(partition, located.replica()), located.failure());
            return hasUsableReplica(partition) || isLocating(partition) ? this
                : failPartition(partition, located.failure());
        }
        partitions[partition][located.replica()] = located.entity();
        routes[partition][located.replica()] = located.route();
        usable[partition][located.replica()] = true;
        List<Integer> waiting = waitingByPartition.get(partition);
        if (!waiting.isEmpty() && pendingByPartition.get(partition).isEmpty()) {
            readyPartitions.addLast(partition);
        }
        pendingByPartition.get(partition).addAll(waiting);
        pendingCount += waiting.size();
        waiting.clear();
        dispatch();
        return this;
    }

    /**
     * Gives batches of pending chunks to idle fetchers, taking partitions in turn; the first P batches go through
     * the router, one to each fetcher. A batch holds up to {@code batch-chunks} chunks of one partition, fewer
     * when that would leave fetchers without work.
     */
    private void dispatch() {
        while (pendingCount > 0 && (!idleFetchers.isEmpty() || routerSlots > 0)) {
            int partition = readyPartitions.pollFirst();
            ArrayDeque<Integer> pending = pendingByPartition.get(partition);
            int replica = nextUsableReplica(partition);
            int size = Math.clamp((pendingCount + parallelism - 1) / parallelism, 1, settings.loadBatchChunks());
            List<Integer> chunkIds = new ArrayList<>(size);
            while (chunkIds.size() < size && !pending.isEmpty()) {
                chunkIds.add(pending.pollFirst());
            }
            pendingCount -= chunkIds.size();
            if (!pending.isEmpty()) {
                readyPartitions.addLast(partition);
            }
            Fetcher.FetchChunks fetch = new Fetcher.FetchChunks(chunkIds, replica, partitions[partition][replica],
                routes[partition][replica], outcomes);
            if (!idleFetchers.isEmpty()) {
                idleFetchers.pollFirst().tell(fetch);
            } else {
                routerSlots--;
                fetchers.tell(fetch);
            }
        }
    }

    /** @return the partition's next usable replica after the last one read, so reads spread over replicas */
    private int nextUsableReplica(int partition) {
        for (int i = 0; i < manifest.replicas(); i++) {
            int replica = (nextReplica[partition] + i) % manifest.replicas();
            if (usable[partition][replica]) {
                nextReplica[partition] = replica + 1;
                return replica;
            }
        }
        throw new IllegalStateException("partition " + partition + " has pending chunks but no usable replica");
    }

    private boolean hasUsableReplica(int partition) {
        for (boolean isUsable : usable[partition]) {
            if (isUsable) {
                return true;
            }
        }
        return false;
    }

    private boolean isLocating(int partition) {
        for (boolean isLocating : locating[partition]) {
            if (isLocating) {
                return true;
            }
        }
        return false;
    }

    private Behavior<Command> onFetchOutcome(FetchOutcome message) {
        Fetcher.Outcome outcome = message.outcome();
        idleFetchers.addLast(outcome.fetcher());
        for (int chunkId : outcome.fetched()) {
            if (!fetched.get(chunkId)) {
                fetched.set(chunkId);
                fetchedCount++;
                fetchedBytes += manifest.chunks().get(chunkId).lengthBytes();
            }
        }
        if (request.progress() != null && !outcome.fetched().isEmpty()) {
            request.progress().progressed(fetchedBytes, manifest.totalBytes());
        }
        for (Fetcher.ChunkFailure failure : outcome.failures()) {
            if (!retry(failure, outcome.replica())) {
                return failPartition(manifest.chunks().get(failure.chunkId()).partition(), failure.reason());
            }
        }
        if (fetchedCount == manifest.chunks().size()) {
            transferSeconds = (System.nanoTime() - transferStartNs) / 1e9;
            return verify();
        }
        dispatch();
        return this;
    }

    /**
     * Takes the replica that failed out of use until it is located again (it may have moved), and puts the chunk
     * back: pending on the partition's other usable replicas, or waiting, with every other pending chunk of the
     * partition, when none is left.
     *
     * @return {@code false} when the chunk already had every try: one per replica and one more
     */
    private boolean retry(Fetcher.ChunkFailure failed, int replica) {
        int chunkId = failed.chunkId();
        getContext().getLog().debug("Chunk failed [chunk={}, replica={}, attempt={}, reason={}]", chunkId, replica,
            attempts[chunkId] + 1, failed.reason());
        if (fetched.get(chunkId)) {
            return true;
        }
        if (++attempts[chunkId] > manifest.replicas()) {
            return false;
        }
        int partition = manifest.chunks().get(chunkId).partition();
        if (usable[partition][replica]) {
            usable[partition][replica] = false;
            locate(partition, replica);
        }
        ArrayDeque<Integer> pending = pendingByPartition.get(partition);
        if (hasUsableReplica(partition)) {
            if (pending.isEmpty()) {
                readyPartitions.addLast(partition);
            }
            pending.addFirst(chunkId);
            pendingCount++;
            return true;
        }
        List<Integer> waiting = waitingByPartition.get(partition);
        waiting.add(chunkId);
        if (!pending.isEmpty()) {
            waiting.addAll(pending);
            pendingCount -= pending.size();
            pending.clear();
            readyPartitions.remove(partition);
        }
        return true;
    }

    private Behavior<Command> verify() {
        if (!request.verifySha256()) {
            return succeed(0);
        }
        long verifyStartNs = System.nanoTime();
        getContext().pipeToSelf(CompletableFuture.supplyAsync(this::firstMismatch, blocking),
            (mismatch, failure) -> new Verified(mismatch, failure));
        return Behaviors.receive(Command.class)
            .onMessage(Verified.class, verified -> verified.failure() != null
                ? fail("SHA-256 check failed: " + Failures.describe(verified.failure()))
                : verified.mismatch() != null ? fail(verified.mismatch())
                : succeed((System.nanoTime() - verifyStartNs) / 1e9))
            .onMessage(LoadTimedOut.class, this::onLoadTimedOut)
            .onAnyMessage(ignored -> Behaviors.same())
            .build();
    }

    private String firstMismatch() {
        for (int i = 0; i < manifest.files().size(); i++) {
            FileEntry file = manifest.files().get(i);
            String actual = destination.sha256Hex(i);
            if (!actual.equals(file.sha256Hex())) {
                return "file " + file.path() + " has SHA-256 " + actual + ", expected " + file.sha256Hex();
            }
        }
        return null;
    }

    private Behavior<Command> onLoadTimedOut(LoadTimedOut timedOut) {
        List<Integer> missing = new ArrayList<>();
        if (manifest != null && fetched != null) {
            for (int c = fetched.nextClearBit(0); c < manifest.chunks().size(); c = fetched.nextClearBit(c + 1)) {
                missing.add(c);
            }
        }
        return fail("load of model '" + request.name() + "' did not finish within "
            + settings.loadTimeout().toSeconds() + " s" + (missing.isEmpty() ? "" : "; could not get "
            + describeChunks(missing)));
    }

    private Behavior<Command> failPartition(int partition, String reason) {
        List<Integer> missing = new ArrayList<>();
        for (int c = 0; c < manifest.chunks().size(); c++) {
            if (!fetched.get(c) && manifest.chunks().get(c).partition() == partition) {
                missing.add(c);
            }
        }
        return fail("load of model '" + request.name() + "' failed: could not get " + describeChunks(missing)
            + " of partition " + manifest.partitionEntityId(partition, 0) + ": " + reason);
    }

    private String describeChunks(List<Integer> chunkIds) {
        StringBuilder text = new StringBuilder().append(chunkIds.size()).append(" chunk")
            .append(chunkIds.size() == 1 ? "" : "s").append(" [");
        for (int i = 0; i < Math.min(MAX_IDS_IN_MESSAGE, chunkIds.size()); i++) {
            ChunkEntry chunk = manifest.chunks().get(chunkIds.get(i));
            text.append(i == 0 ? "" : ", ").append(chunkIds.get(i)).append(" (")
                .append(manifest.files().get(chunk.fileIndex()).path()).append('@').append(chunk.offsetBytes())
                .append(')');
        }
        return text.append(chunkIds.size() > MAX_IDS_IN_MESSAGE ? ", ...]" : "]").toString();
    }

    private Behavior<Command> fail(String reason) {
        release();
        if (destination != null) {
            destination.close();
            if (destination instanceof FileDestination files) {
                files.discard();
            }
        }
        getContext().getLog().warn("Load failed [model={}, reason={}]", request.name(), reason);
        replyTo.tell(new LoadResult.Failed(reason));
        return Behaviors.stopped();
    }

    private Behavior<Command> succeed(double verifySeconds) {
        release();
        double seconds = (System.nanoTime() - startNs) / 1e9;
        if (destination instanceof FileDestination) {
            destination.close();
        }
        LoadedModel model = new LoadedModel(manifest, destination, strategy, parallelism, manifest.totalBytes(),
            transferSeconds, verifySeconds, seconds);
        getContext().getLog().info("Loaded model [id={}, strategy={}, parallelism={}, bytes={}, seconds={}, MBps={}]",
            manifest.modelId(), strategy.label(), parallelism, model.bytes(), String.format("%.3f", seconds),
            String.format("%.0f", model.megabytesPerSecond()));
        replyTo.tell(new LoadResult.Loaded(model));
        return Behaviors.stopped();
    }

    private void release() {
        if (loadId != 0) {
            NodeRuntime.get(getContext().getSystem()).unregister(loadId);
        }
    }
}
