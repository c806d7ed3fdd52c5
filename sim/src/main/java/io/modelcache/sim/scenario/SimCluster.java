package io.modelcache.sim.scenario;

import io.modelcache.node.Failures;
import io.modelcache.sim.SimClient;
import io.modelcache.sim.process.ChildProcess;
import io.modelcache.sim.process.DataNodes;
import io.modelcache.sim.process.JavaCommand;
import io.modelcache.sim.process.ProcessMeter;
import io.modelcache.sim.process.Workspace;
import io.modelcache.sim.scenario.ClientProcess.ClientEvent;
import io.modelcache.sim.scenario.SweepPoint.ClusterShape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One cluster of a scenario case on 127.0.0.1: data node JVMs running {@code modelcache node}, and client JVMs
 * ({@link SimClient}) that join it. Starting it waits, with timeouts, until every port listens, every client has
 * joined and the first client sees every data node up. Closing it stops every process it started (a suspended one
 * is resumed first; SIGTERM, then SIGKILL after 5 s), removes the shared-memory files named after their process ids
 * (Aeron's {@code /dev/shm/modelcache-aeron-<pid>-<n>}, which a node killed with SIGKILL cannot remove itself) and
 * reports any process that survived.
 *
 * <p>Used by one thread, the case's.
 */
final class SimCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimCluster.class);
    private static final long START_TIMEOUT_MS = 120_000;
    /**
     * SIGTERM's grace before SIGKILL. Members leaving all at once wait for each other: measured here, 15-20 s until
     * Pekko's cluster-exiting phase times out (10 s), for nothing a discarded cluster needs.
     */
    private static final long STOP_TIMEOUT_MS = 5_000;
    private static final Path SHARED_MEMORY = Path.of("/dev/shm");
    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    private final Workspace workspace;
    private final ProcessMeter meter;
    private final DataNodes nodes;
    private final List<ClientProcess> clients = new ArrayList<>();
    private final BlockingQueue<ClientEvent> events = new LinkedBlockingQueue<>();
    private final Map<ChildProcess, String> roles = new LinkedHashMap<>();
    private final List<String> survivors = new ArrayList<>();
    private boolean isClosed;

    private SimCluster(Workspace workspace, ProcessMeter meter, DataNodes nodes) {
        this.workspace = workspace;
        this.meter = meter;
        this.nodes = nodes;
    }

    /**
     * Starts the nodes and clients of one cluster shape and waits until the cluster is up. On failure everything
     * started so far is stopped before the exception leaves.
     *
     * @param namePrefix what every process's name starts with, unique in the workspace (its log file's name)
     * @param memberConfig a HOCON file every member reads ({@code --config})
     * @throws IllegalStateException when a process exits early, with the end of its log
     * @throws TimeoutException when the cluster is not up within two minutes
     * @throws IOException when a JVM cannot be started
     * @throws InterruptedException if interrupted while waiting
     */
    static SimCluster start(Workspace workspace, ProcessMeter meter, ScenarioCase scenarioCase, ClusterShape shape,
                            String namePrefix, Path memberConfig) throws Exception {
        List<String> memberFlags = List.of("-Dmodelcache.chunk-size=" + shape.chunkSizeBytes());
        List<String> nodeFlags = new ArrayList<>(memberFlags);
        nodeFlags.addAll(scenarioCase.nodes().jvmOptions());
        DataNodes nodes = new DataNodes(workspace, namePrefix + "node-", scenarioCase.nodes().heapBytes(), nodeFlags,
            List.of("--memory", Long.toString(scenarioCase.nodes().memoryBytes()), "--config",
                memberConfig.toString()));
        SimCluster cluster = new SimCluster(workspace, meter, nodes);
        try {
            cluster.startNodes(shape.nodes());
            cluster.startClients(scenarioCase.clients(), memberFlags, namePrefix, memberConfig);
            cluster.awaitNodes(shape.nodes(), START_TIMEOUT_MS);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void startNodes(int count) throws Exception {
        for (DataNodes.DataNode node : nodes.startCluster(count, START_TIMEOUT_MS)) {
            track(node.process(), "node-" + node.number());
        }
    }

    private void startClients(ScenarioCase.ClientSettings settings, List<String> memberFlags, String namePrefix,
                              Path memberConfig) throws Exception {
        List<String> flags = new ArrayList<>(memberFlags);
        flags.addAll(settings.jvmOptions());
        List<String> arguments = new ArrayList<>();
        for (String seed : nodes.liveAddresses()) {
            arguments.addAll(List.of("--seed", seed));
        }
        arguments.addAll(List.of("--config", memberConfig.toString()));
        for (int i = 1; i <= settings.count(); i++) {
            ChildProcess process = workspace.startPiped(namePrefix + "client-" + i,
                JavaCommand.of(settings.heapBytes(), flags, SimClient.class, arguments));
            clients.add(new ClientProcess(i, process, events));
            track(process, "client-" + i);
        }
        awaitReady(START_TIMEOUT_MS);
    }

    /** Waits until every client has joined the cluster and said {@code ready}. */
    private void awaitReady(long timeoutMs) throws Exception {
        List<ClientProcess> waiting = new ArrayList<>(clients);
        long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000;
        while (!waiting.isEmpty()) {
            ClientEvent event = events.poll(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new TimeoutException(waiting.getFirst() + " did not join the cluster within " + timeoutMs
                    + " ms; " + waiting.getFirst().process().logSummary());
            }
            if (event.line() == null) {
                throw new IllegalStateException(event.client() + " exited before joining the cluster; "
                    + event.client().process().logSummary());
            }
            if (event.line().verb().equals("ready")) {
                waiting.remove(event.client());
            }
        }
    }

    private void track(ChildProcess process, String role) {
        roles.put(process, role);
        meter.track(process);
    }

    /**
     * Asks the first client until it sees {@code count} data nodes up.
     *
     * @return the seconds it took
     */
    double awaitNodes(int count, long timeoutMs) throws Exception {
        ProtocolLine result = call(clients.getFirst(), ProtocolLine.of("await-nodes", "count", count,
            "timeout-ms", timeoutMs), timeoutMs);
        if (!result.isTrue("ok")) {
            throw new IllegalStateException("the cluster did not come up: " + result.get("error", "?"));
        }
        return result.getDouble("seconds");
    }

    /** @return a new command id, unique in this JVM */
    static String nextId() {
        return Long.toString(NEXT_ID.getAndIncrement());
    }

    /**
     * Sends a command with a fresh id to one client and waits for its result; progress events on the way are
     * answered with {@code resume} at once.
     *
     * @param timeoutMs how long the client may take; the command carries it, and the wait adds 30 s for the client
     *     to report its own timeout
     * @return the result line, {@code ok=true} or not
     * @throws TimeoutException when no result came in time; the client is killed first
     * @throws IllegalStateException when the client exits first, with the end of its log
     * @throws InterruptedException if interrupted while waiting
     */
    ProtocolLine call(ClientProcess client, ProtocolLine command, long timeoutMs) throws Exception {
        String id = nextId();
        client.send(command.with("id", id).with("timeout-ms", timeoutMs));
        return awaitEvent(client, "result", id, timeoutMs + 30_000);
    }

    private ProtocolLine awaitEvent(ClientProcess client, String verb, String id, long timeoutMs) throws Exception {
        long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000;
        while (true) {
            ClientEvent event = events.poll(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                client.process().process().destroyForcibly();
                throw new TimeoutException(client + " did not answer '" + verb + "' within " + timeoutMs
                    + " ms, so it was killed; " + client.process().logSummary());
            }
            if (event.line() == null) {
                throw new IllegalStateException(event.client() + " exited before answering '" + verb + "'; "
                    + event.client().process().logSummary());
            }
            ProtocolLine line = event.line();
            if (line.verb().equals("progress")) {
                event.client().send(ProtocolLine.of("resume", "id", line.get("id")));
            } else if (event.client() == client && line.verb().equals(verb)
                && (id == null || id.equals(line.get("id", "")))) {
                return line;
            }
        }
    }

    /**
     * @return the next event from any client, or {@code null} when none came within {@code timeoutMs}
     * @throws InterruptedException if interrupted while waiting
     */
    ClientEvent nextEvent(long timeoutMs) throws InterruptedException {
        return events.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** @return the clients, in order */
    List<ClientProcess> clients() {
        return List.copyOf(clients);
    }

    /**
     * @param number a node's number, from 1 in start order
     * @return its process
     */
    ChildProcess node(int number) {
        return nodes.nodes().get(number - 1).process();
    }

    /** @return how many data node processes are running */
    int liveNodes() {
        return nodes.liveAddresses().size();
    }

    /**
     * Starts one more data node that joins through every live node, and returns without waiting for it.
     *
     * @return its process
     */
    ChildProcess startNode() throws IOException {
        DataNodes.DataNode node = nodes.start(nodes.liveAddresses());
        track(node.process(), "node-" + node.number());
        return node.process();
    }

    /** @return what each process is in this cluster ({@code node-2}, {@code client-1}), by process, in start order */
    Map<ChildProcess, String> roles() {
        return new LinkedHashMap<>(roles);
    }

    /** @return the processes that were still running after {@link #close()}, as {@code name (pid N)} */
    List<String> survivors() {
        return List.copyOf(survivors);
    }

    /**
     * Stops every process of the cluster at once (SIGCONT to a suspended one, SIGTERM, SIGKILL after 5 s),
     * removes their shared-memory files and records survivors. Later calls do nothing.
     */
    @Override
    public void close() {
        if (isClosed) {
            return;
        }
        isClosed = true;
        List<ChildProcess> processes = new ArrayList<>(roles.keySet());
        long startNs = System.nanoTime();
        workspace.stop(processes, STOP_TIMEOUT_MS);
        for (ChildProcess process : processes) {
            meter.untrack(process);
            deleteSharedMemory(process.pid());
            if (process.isAlive()) {
                survivors.add(process.toString());
            }
        }
        LOG.info("Cluster stopped [processes={}, seconds={}, survivors={}]", processes.size(),
            String.format("%.1f", (System.nanoTime() - startNs) / 1e9), survivors);
    }

    /** Removes {@code /dev/shm/modelcache-aeron-<pid>-*}: Aeron directories of a member that could not clean up. */
    static void deleteSharedMemory(long pid) {
        if (!Files.isDirectory(SHARED_MEMORY)) {
            return;
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(SHARED_MEMORY,
            "modelcache-aeron-" + pid + "-*")) {
            for (Path leftover : leftovers) {
                deleteTree(leftover);
            }
        } catch (IOException e) {
            LOG.warn("Could not list shared memory [path={}, error={}]", SHARED_MEMORY, Failures.describe(e));
        }
    }

    /** @return shared-memory files left by the process {@code pid} */
    static List<Path> sharedMemoryOf(long pid) {
        if (!Files.isDirectory(SHARED_MEMORY)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(SHARED_MEMORY)) {
            return files.filter(path -> path.getFileName().toString().startsWith("modelcache-aeron-" + pid + "-"))
                .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete shared memory [path={}, error={}]", root, Failures.describe(e));
        }
    }
}
