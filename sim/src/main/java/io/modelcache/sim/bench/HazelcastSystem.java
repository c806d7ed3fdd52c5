package io.modelcache.sim.bench;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.modelcache.sim.HazelcastMember;
import io.modelcache.sim.process.ChildProcess;
import io.modelcache.sim.process.JavaCommand;
import io.modelcache.sim.process.Ports;
import io.modelcache.sim.process.Workspace;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Hazelcast: three member JVMs ({@link HazelcastMember}) on 127.0.0.1 with TCP-IP join and a cluster name of their
 * own, and one {@link HazelcastClient} in the bench's JVM. Values are put once into an
 * {@code IMap<Integer, byte[]>} (backup-count 1, Hazelcast's default); the client threads share the one client
 * and each gets every value, copying it into its off-heap memory.
 *
 * <p>Members run with {@code -XX:G1HeapRegionSize=4m}: with the default region size for their heap a 1 MiB value
 * is a humongous object taking a 2 MiB region (PEERS.md).
 */
final class HazelcastSystem extends ReadAllSystem {
    private static final int MEMBERS = 3;
    private static final long MEMBER_START_TIMEOUT_MS = 90_000;
    private static final long STOP_TIMEOUT_MS = 20_000;
    private static final long CLIENT_CONNECT_TIMEOUT_MS = 60_000;
    private static final long BASE_HEAP_BYTES = 384L << 20;
    private static final List<String> MEMBER_FLAGS = List.of("-XX:G1HeapRegionSize=4m",
        "-Dhazelcast.phone.home.enabled=false",
        "--add-modules", "java.se",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private final Workspace workspace;
    private final List<ChildProcess> members = new ArrayList<>();
    private HazelcastInstance client;
    private IMap<Integer, byte[]> map;
    private long memberHeapBytes;

    HazelcastSystem(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public String name() {
        return "hazelcast";
    }

    @Override
    protected void start() throws Exception {
        String clusterName = "modelcache-bench-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            addresses.add("127.0.0.1:" + Ports.free());
        }
        // Each member holds a third of the values and a backup of another third, on its heap; twice that
        // leaves the collector room.
        memberHeapBytes = BASE_HEAP_BYTES + values.sizeBytes() * 2 / MEMBERS * 2;
        startMember(0, clusterName, addresses).awaitLogLine(HazelcastMember.READY, MEMBER_START_TIMEOUT_MS);
        for (int i = 1; i < MEMBERS; i++) {
            startMember(i, clusterName, addresses);
        }
        for (ChildProcess member : members) {
            member.awaitLogLine(HazelcastMember.READY, MEMBER_START_TIMEOUT_MS);
        }
        client = HazelcastClient.newHazelcastClient(clientConfig(clusterName, addresses));
        awaitMembers();
        map = client.getMap("bench");
        for (int i = 0; i < values.valueCount(); i++) {
            map.set(i, values.valueArray(i));
        }
    }

    /** Starts member {@code index}; it joins the first member, which starts a cluster of its own. */
    private ChildProcess startMember(int index, String clusterName, List<String> addresses) throws Exception {
        String address = addresses.get(index);
        String joins = index == 0 ? address : addresses.getFirst() + "," + address;
        ChildProcess member = workspace.start("hazelcast-" + (index + 1), JavaCommand.of(memberHeapBytes,
            MEMBER_FLAGS, HazelcastMember.class, List.of(address.substring(address.indexOf(':') + 1), clusterName,
                joins)), Map.of());
        members.add(member);
        return member;
    }

    private static ClientConfig clientConfig(String clusterName, List<String> addresses) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.getNetworkConfig().setAddresses(new ArrayList<>(addresses));
        config.getConnectionStrategyConfig().getConnectionRetryConfig()
            .setClusterConnectTimeoutMillis(CLIENT_CONNECT_TIMEOUT_MS);
        return config;
    }

    private void awaitMembers() throws InterruptedException {
        long deadlineNs = System.nanoTime() + MEMBER_START_TIMEOUT_MS * 1_000_000;
        while (client.getCluster().getMembers().size() < MEMBERS) {
            if (System.nanoTime() > deadlineNs) {
                throw new IllegalStateException("the Hazelcast client sees " + client.getCluster().getMembers().size()
                    + " members, not " + MEMBERS + ", after " + MEMBER_START_TIMEOUT_MS + " ms");
            }
            Thread.sleep(100);
        }
    }

    @Override
    protected Reader openReader(int clientIndex) {
        return new Reader() {
            @Override
            public void readAll(MemorySegment destination) {
                copyEach(map::get, destination);
            }

            @Override
            public void close() {
                // The threads share the one client; it closes in stop().
            }
        };
    }

    @Override
    public List<String> notes() {
        return List.of("hazelcast: " + MEMBERS + " member JVMs (-XX:G1HeapRegionSize=4m, -Xmx"
            + (memberHeapBytes >> 20) + "m), IMap<Integer, byte[]> with backup-count 1, one HazelcastClient shared "
            + "by the client threads");
    }

    @Override
    protected void stop() {
        if (client != null) {
            client.shutdown();
        }
        workspace.stop(members, STOP_TIMEOUT_MS);
    }
}
