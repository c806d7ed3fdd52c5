package io.modelcache.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.modelcache.client.ModelCacheClient;
import io.modelcache.node.ModelCacheNode;
import io.modelcache.node.NodeRuntime;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * Data nodes in one JVM, each its own actor system on its own loopback port, so messages between them
 * cross real Artery TCP connections. Built fluently, closed with try-with-resources.
 */
public final class LocalCluster implements AutoCloseable {
    private final List<ModelCacheNode> nodes = new ArrayList<>();
    private final List<ModelCacheClient> clients = new ArrayList<>();
    private final Config config;

    private LocalCluster(Config config) {
        this.config = config;
    }

    /** @return a builder for a cluster */
    public static Builder builder() {
        return new Builder();
    }

    /** Chooses the cluster's size and settings. */
    public static final class Builder {
        private int dataNodes = 3;
        private Config config = ConfigFactory.empty();

        public Builder dataNodes(int count) {
            this.dataNodes = count;
            return this;
        }

        public Builder with(String hocon) {
            this.config = ConfigFactory.parseString(hocon).withFallback(config);
            return this;
        }

        /** Starts the nodes and waits until all are up. */
        public LocalCluster start() throws Exception {
            LocalCluster cluster = new LocalCluster(config);
            try {
                for (int i = 0; i < dataNodes; i++) {
                    cluster.addDataNode();
                }
                cluster.awaitMembersUp(dataNodes, Duration.ofSeconds(30));
                return cluster;
            } catch (Exception | Error e) {
                cluster.close();
                throw e;
            }
        }
    }

    /** Starts one more data node that joins the first. */
    public ModelCacheNode addDataNode() throws Exception {
        List<String> seeds = nodes.isEmpty() ? List.of() : List.of(nodes.getFirst().hostPort());
        ModelCacheNode node = ModelCacheNode.start(ModelCacheNode.Role.DATA, "127.0.0.1", 0, seeds, config);
        nodes.add(node);
        node.awaitUp(Duration.ofSeconds(30));
        return node;
    }

    /** Joins a client member and returns its API. */
    public ModelCacheClient client() throws Exception {
        ModelCacheClient client = ModelCacheClient.connect("127.0.0.1", List.of(nodes.getFirst().hostPort()),
            config);
        clients.add(client);
        return client;
    }

    /** @return the data nodes, in start order */
    public List<ModelCacheNode> nodes() {
        return nodes;
    }

    /** @return bytes held off-heap on all data nodes together */
    public long usedBytes() {
        long total = 0;
        for (ModelCacheNode node : nodes) {
            if (!node.system().whenTerminated().isCompleted()) {
                total += NodeRuntime.get(node.system()).store().usedBytes();
            }
        }
        return total;
    }

    /** Waits until the first node sees {@code count} members up. */
    public void awaitMembersUp(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long up = StreamSupport.stream(Cluster.get(nodes.getFirst().system()).state().getMembers().spliterator(),
                false).filter(m -> m.status() == MemberStatus.up()).count();
            if (up >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(count + " members were not up within " + timeout.toSeconds() + " s");
    }

    @Override
    public void close() {
        for (ModelCacheClient client : clients) {
            client.close();
        }
        for (ModelCacheNode node : nodes.reversed()) {
            node.close(Duration.ofSeconds(20));
        }
    }
}
