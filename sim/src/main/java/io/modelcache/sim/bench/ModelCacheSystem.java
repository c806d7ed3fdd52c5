package io.modelcache.sim.bench;

import com.typesafe.config.ConfigFactory;
import io.modelcache.client.ClusterStatus;
import io.modelcache.client.ModelCacheClient;
import io.modelcache.loader.LoadRequest;
import io.modelcache.loader.LoadedModel;
import io.modelcache.node.Failures;
import io.modelcache.node.NodeAgent;
import io.modelcache.sim.process.ChildProcess;
import io.modelcache.sim.process.DataNodes;
import io.modelcache.sim.process.Workspace;
import io.modelcache.writer.PutRequest;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * modelcache as it is built today: three data nodes, each its own JVM started with node-app's command line
 * ({@code modelcache node}), and a client member ({@link ModelCacheClient}) in the bench's JVM. The bytes are
 * stored once as one model file; a client here is one load of the whole model into off-heap memory, N clients are
 * N concurrent loads through the one client member.
 *
 * <p>Measured loads skip the SHA-256 of the file ({@code verifySha256 = false}): the other systems do not hash
 * either. Chunks are still checked with CRC32C, as every load does. The warm-up loads do hash, and are compared
 * with the source byte for byte.
 *
 * <p>Its notes give the off-heap bytes the nodes hold per byte of model, from the nodes' own accounting
 * ({@code NodeStatus.usedBytes}); the bench adds the heap the loads allocate in the client's JVM.
 */
final class ModelCacheSystem implements BenchSystem {
    static final String MODEL_NAME = "bench";
    private static final int NODES = 3;
    private static final long NODE_START_TIMEOUT_MS = 60_000;
    private static final long STOP_TIMEOUT_MS = 30_000;
    private static final long PUT_TIMEOUT_MS = 600_000;
    private static final long MIN_BUDGET_BYTES = 2L << 30;

    private final Workspace workspace;
    private final int loadParallelism;
    private final String transport;
    private final boolean isSharedDriver;
    private final List<ChildProcess> nodes = new ArrayList<>();
    private final Arena destinationArena = Arena.ofShared();
    private final List<MemorySegment> destinations = new ArrayList<>();
    private ValueSet values;
    private ModelCacheClient client;
    private long nodeUsedBytes;

    /**
     * @param transport the data plane's transport, {@code tcp} (the default, named plain {@code modelcache}) or
     *     {@code aeron}
     * @param isSharedDriver whether the nodes and the client share one Aeron media driver, so loads go over IPC
     */
    ModelCacheSystem(Workspace workspace, int loadParallelism, String transport, boolean isSharedDriver) {
        this.workspace = workspace;
        this.loadParallelism = loadParallelism;
        this.transport = transport;
        this.isSharedDriver = isSharedDriver;
    }

    @Override
    public String name() {
        return isSharedDriver ? "modelcache-ipc" : transport.equals("tcp") ? "modelcache" : "modelcache-" + transport;
    }

    /** The settings every member of this system starts with, as -D flags for the node JVMs. */
    private List<String> memberFlags() {
        List<String> flags = new ArrayList<>(List.of("-Dmodelcache.data-plane.transport=" + transport));
        if (isSharedDriver) {
            flags.add("-Dmodelcache.data-plane.aeron.directory=" + sharedDriverDirectory());
        }
        return flags;
    }

    private String sharedDriverDirectory() {
        return "/dev/shm/modelcache-aeron-bench-" + ProcessHandle.current().pid();
    }

    @Override
    public Optional<String> unavailableReason() {
        try {
            Class.forName("io.modelcache.app.ModelCacheCommand");
            return Optional.empty();
        } catch (ClassNotFoundException e) {
            return Optional.of("node-app's io.modelcache.app.ModelCacheCommand is not on the class path");
        }
    }

    @Override
    public void setUp(ValueSet valueSet) throws Exception {
        this.values = valueSet;
        String seed = startNodes();
        String clientConfig = "modelcache.data-plane.transport = " + transport + (isSharedDriver
            ? "\nmodelcache.data-plane.aeron.directory = \"" + sharedDriverDirectory() + "\"" : "");
        client = ModelCacheClient.connect("127.0.0.1", List.of(seed), ConfigFactory.parseString(clientConfig));
        awaitDataNodes();
        Path file = workspace.directory().resolve("model.bin");
        write(file);
        try {
            client.put(PutRequest.of(file, MODEL_NAME)).toCompletableFuture().get(PUT_TIMEOUT_MS,
                TimeUnit.MILLISECONDS);
        } finally {
            Files.deleteIfExists(file);
        }
        nodeUsedBytes = status().nodes().stream().mapToLong(NodeAgent.NodeStatus::usedBytes).sum();
    }

    /** Starts the nodes, the first one alone, and waits for their ports; returns the first one's address. */
    private String startNodes() throws Exception {
        String budgetBytes = Long.toString(Math.max(MIN_BUDGET_BYTES, values.sizeBytes()));
        DataNodes launcher = new DataNodes(workspace, name() + "-node-", 0, memberFlags(),
            List.of("--memory", budgetBytes));
        List<DataNodes.DataNode> started = launcher.startCluster(NODES, NODE_START_TIMEOUT_MS);
        nodes.addAll(launcher.processes());
        return started.getFirst().address();
    }

    private void awaitDataNodes() throws Exception {
        long deadlineNs = System.nanoTime() + NODE_START_TIMEOUT_MS * 1_000_000;
        while (status().nodes().size() < NODES) {
            for (ChildProcess node : nodes) {
                node.checkAlive("the cluster had " + NODES + " data nodes");
            }
            if (System.nanoTime() > deadlineNs) {
                throw new TimeoutException("the cluster has " + status().nodes().size() + " data nodes up, not "
                    + NODES + ", after " + NODE_START_TIMEOUT_MS + " ms");
            }
            Thread.sleep(200);
        }
    }

    private ClusterStatus status() throws Exception {
        return client.clusterStatus().toCompletableFuture().get(NODE_START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    private void write(Path file) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            MemorySegment bytes = values.bytes();
            long written = 0;
            while (written < bytes.byteSize()) {
                // One ByteBuffer holds at most 2 GiB: write the model in slices.
                long length = Math.min(1L << 30, bytes.byteSize() - written);
                var buffer = bytes.asSlice(written, length).asByteBuffer();
                while (buffer.hasRemaining()) {
                    channel.write(buffer, written + buffer.position());
                }
                written += length;
            }
        }
    }

    @Override
    public void warmUp(int clients) throws Exception {
        for (LoadedModel model : loadConcurrently(clients, true)) {
            try (model) {
                values.check(name(), model.file(model.manifest().files().getFirst().path()));
            }
        }
    }

    @Override
    public double measure(int clients) throws Exception {
        long startNs = System.nanoTime();
        List<LoadedModel> models = loadConcurrently(clients, false);
        long elapsedNs = System.nanoTime() - startNs;
        for (LoadedModel model : models) {
            model.close();
        }
        return clients * values.sizeBytes() / (elapsedNs / 1e9) / 1e6;
    }

    /**
     * Starts {@code clients} loads at once and waits for all; on a failure frees the ones that succeeded. Each
     * client loads into its own segment, allocated once and reused across runs, as the other systems' clients
     * read into theirs: the first touch of fresh memory (about 0.4 s per 512 MiB here) is paid once, not per run.
     */
    private List<LoadedModel> loadConcurrently(int clients, boolean verifySha256) throws Exception {
        List<CompletableFuture<LoadedModel>> loads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            LoadRequest request = LoadRequest.intoSegments(MODEL_NAME, List.of(destination(i)))
                .withParallelism(loadParallelism).withSha256Check(verifySha256);
            loads.add(client.load(request).toCompletableFuture());
        }
        long timeoutMs = ConcurrentClients.timeoutMs(clients * values.sizeBytes());
        try {
            CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            for (CompletableFuture<LoadedModel> load : loads) {
                load.thenAccept(LoadedModel::close);
            }
            throw e instanceof TimeoutException
                ? new TimeoutException(clients + " loads of " + values.sizeBytes() + " bytes did not finish within "
                    + timeoutMs + " ms")
                : new IllegalStateException("a load failed: " + Failures.describe(e), e.getCause());
        }
        return loads.stream().map(CompletableFuture::join).toList();
    }

    /** Removes a driver directory a killed node may have left in shared memory. */
    private static void deleteQuietly(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException e) {
            // best effort: the next bench run uses another directory
        }
    }

    private MemorySegment destination(int clientIndex) {
        while (destinations.size() <= clientIndex) {
            MemorySegment destination = destinationArena.allocate(values.sizeBytes(), 64);
            destination.fill((byte) 0);
            destinations.add(destination);
        }
        return destinations.get(clientIndex);
    }

    @Override
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        notes.add(name() + ": " + NODES + " data node JVMs (modelcache node), one client member in the bench's JVM, "
            + "data plane " + transport + (isSharedDriver ? " over IPC (every member on one media driver)" : "") + "; "
            + "a client is one load of the whole model at parallelism " + loadParallelism
            + "; measured loads skip SHA-256 (verifySha256=false) as the peers do not hash either; CRC32C per "
            + "chunk still runs");
        notes.add(String.format(name() + ": data nodes hold %.3f bytes off-heap per byte of model (%d bytes on %d "
            + "nodes)", nodeUsedBytes / (double) values.sizeBytes(), nodeUsedBytes, NODES));
        return notes;
    }

    @Override
    public void tearDown() {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            workspace.stop(nodes, STOP_TIMEOUT_MS);
            destinationArena.close();
            if (isSharedDriver) {
                deleteQuietly(Path.of(sharedDriverDirectory()));
            }
        }
    }
}
