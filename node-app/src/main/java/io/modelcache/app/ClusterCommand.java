package io.modelcache.app;

import io.modelcache.client.ClusterStatus;
import io.modelcache.client.ModelCacheClient;
import io.modelcache.node.NodeAgent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** Shows the members, their roles, and the bytes each data node holds against its budget. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Show the members, their roles, and the bytes each data node holds.")
final class ClusterCommand implements Callable<Integer> {

    @Mixin
    Cli.ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        try (ModelCacheClient client = cluster.connect()) {
            ClusterStatus status = Cli.await(client.clusterStatus());
            System.out.printf("%-40s %-8s %-8s %s%n", "MEMBER", "ROLE", "STATUS", "REACHABLE");
            String self = client.node().system().address().toString();
            for (ClusterStatus.Member member : status.members()) {
                String role = member.roles().stream().filter(r -> !r.startsWith("dc-")).findFirst().orElse("-");
                System.out.printf("%-40s %-8s %-8s %s%s%n", member.address(), role, member.status(),
                    member.isReachable() ? "yes" : "no", member.address().equals(self) ? "  (this command)" : "");
            }
            System.out.println();
            System.out.printf("%-40s %14s %14s %8s %10s %14s%n", "DATA NODE", "HELD BYTES", "BUDGET BYTES", "USED",
                "CHUNKS", "HEAP BYTES");
            for (NodeAgent.NodeStatus node : status.nodes()) {
                System.out.printf("%-40s %14d %14d %7.1f%% %10d %14d%n", node.address(), node.usedBytes(),
                    node.budgetBytes(), 100.0 * node.usedBytes() / node.budgetBytes(), node.chunkCount(),
                    node.heapUsedBytes());
            }
        }
        return 0;
    }
}
