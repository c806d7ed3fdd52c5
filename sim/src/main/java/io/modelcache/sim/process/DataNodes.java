package io.modelcache.sim.process;

import io.modelcache.sim.ParentWatch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Starts modelcache data nodes as JVMs of their own, each running node-app's command line
 * ({@code modelcache node --host 127.0.0.1 --port N --seed ...}) under {@link ParentWatch}, so a node exits when the
 * JVM that started it goes away. Nodes are numbered from 1 in start order and named {@code <prefix><number>}; their
 * output goes to the workspace's log directory.
 *
 * <p>Not thread-safe: one caller starts the nodes of one cluster.
 */
public final class DataNodes {
    private static final String NODE_MAIN_CLASS = "io.modelcache.app.ModelCacheCommand";

    private final Workspace workspace;
    private final String namePrefix;
    private final long heapMaxBytes;
    private final List<String> jvmFlags;
    private final List<String> nodeArguments;
    private final List<DataNode> nodes = new ArrayList<>();

    /**
     * One data node process.
     *
     * @param number its number, from 1 in start order
     * @param port the cluster (Artery) port it listens on, on 127.0.0.1
     * @param process the JVM
     */
    public record DataNode(int number, int port, ChildProcess process) {
        /** @return {@code 127.0.0.1:port}, what other members give as a seed */
        public String address() {
            return "127.0.0.1:" + port;
        }
    }

    /**
     * @param namePrefix what each node's name starts with, for example {@code modelcache-node-}
     * @param heapMaxBytes each node's {@code -Xmx}; 0 leaves the JVM's default
     * @param jvmFlags more JVM flags for every node, for example {@code -Dmodelcache.chunk-size=1048576}
     * @param nodeArguments more arguments of {@code modelcache node}, for example {@code --memory 2147483648}
     */
    public DataNodes(Workspace workspace, String namePrefix, long heapMaxBytes, List<String> jvmFlags,
                     List<String> nodeArguments) {
        this.workspace = workspace;
        this.namePrefix = namePrefix;
        this.heapMaxBytes = heapMaxBytes;
        this.jvmFlags = List.copyOf(jvmFlags);
        this.nodeArguments = List.copyOf(nodeArguments);
    }

    /**
     * Starts a cluster of {@code count} nodes: the first, alone, until its port listens, then the others with it as
     * their seed, until each port listens. Listening is not membership: callers that need the nodes up ask a member.
     *
     * @return the nodes started, in order
     * @throws IllegalStateException when a node exits first, with the end of its log
     * @throws TimeoutException when a node does not listen within {@code timeoutMs}
     * @throws IOException when a JVM cannot be started
     * @throws InterruptedException if interrupted while waiting
     */
    public List<DataNode> startCluster(int count, long timeoutMs)
        throws IOException, TimeoutException, InterruptedException {
        if (count < 1) {
            throw new IllegalArgumentException("a cluster needs at least 1 data node, not " + count);
        }
        DataNode first = start(List.of());
        first.process().awaitListening(first.port(), timeoutMs);
        List<DataNode> started = new ArrayList<>(List.of(first));
        for (int i = 1; i < count; i++) {
            started.add(start(List.of(first.address())));
        }
        for (DataNode node : started.subList(1, started.size())) {
            node.process().awaitListening(node.port(), timeoutMs);
        }
        return started;
    }

    /**
     * Starts one more node on a free port and returns at once, without waiting for it to listen.
     *
     * @param seeds {@code host:port} of members to join; empty starts a new cluster
     * @throws IOException when the JVM cannot be started
     */
    public DataNode start(List<String> seeds) throws IOException {
        int port = Ports.free();
        List<String> arguments = new ArrayList<>(List.of(NODE_MAIN_CLASS, "node", "--host", "127.0.0.1", "--port",
            Integer.toString(port)));
        for (String seed : seeds) {
            arguments.addAll(List.of("--seed", seed));
        }
        arguments.addAll(nodeArguments);
        int number = nodes.size() + 1;
        ChildProcess process = workspace.start(namePrefix + number,
            JavaCommand.of(heapMaxBytes, jvmFlags, ParentWatch.class, arguments), Map.of());
        DataNode node = new DataNode(number, port, process);
        nodes.add(node);
        return node;
    }

    /** @return every node started, in order, running or not */
    public List<DataNode> nodes() {
        return List.copyOf(nodes);
    }

    /** @return the processes of every node started, in order */
    public List<ChildProcess> processes() {
        return nodes.stream().map(DataNode::process).toList();
    }

    /** @return the addresses of the nodes whose process is running */
    public List<String> liveAddresses() {
        return nodes.stream().filter(node -> node.process().isAlive()).map(DataNode::address).toList();
    }
}
