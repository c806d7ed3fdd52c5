package io.modelcache.sim;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import java.util.Arrays;
import java.util.List;

/**
 * One Hazelcast member for the bench: binds 127.0.0.1 only, joins by TCP-IP (no multicast, no auto-detection,
 * no phone-home), logs through SLF4J. Prints {@link #READY} once it has joined; exits on SIGTERM (Hazelcast's
 * shutdown hook) or when its standard input closes.
 *
 * <p>Usage: {@code HazelcastMember PORT CLUSTER_NAME MEMBER[,MEMBER...]} with members as {@code host:port}.
 */
public final class HazelcastMember {
    /** Printed when the member has joined its cluster. */
    public static final String READY = "hazelcast member ready";

    private HazelcastMember() {
    }

    /**
     * Starts the member.
     *
     * @param args port, cluster name, comma-separated members to join
     */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: HazelcastMember PORT CLUSTER_NAME MEMBER[,MEMBER...]");
            System.exit(2);
        }
        ParentWatch.exitWhenStdinCloses();
        int port = Integer.parseInt(args[0]);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config(port, args[1],
            Arrays.asList(args[2].split(","))));
        System.out.println(READY + " [address=127.0.0.1:" + port + ", members="
            + member.getCluster().getMembers().size() + "]");
    }

    private static Config config(int port, String clusterName, List<String> members) {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        // A member that finds no one starts alone at once instead of waiting 5 s; the bench starts the first
        // member alone and the others only once it is up, so no two clusters form that would need merging.
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(members);
        return config;
    }
}
