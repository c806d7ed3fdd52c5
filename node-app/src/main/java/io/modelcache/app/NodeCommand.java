package io.modelcache.app;

import ch.qos.logback.classic.Level;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.modelcache.node.ModelCacheNode;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** Runs a data node in the foreground until SIGTERM or Ctrl-C, then leaves the cluster cleanly. */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Run a data node in the foreground until SIGTERM, then leave the cluster cleanly.")
final class NodeCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "25520", description = "Port to bind (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--seed", paramLabel = "HOST:PORT",
        description = "A member to join; without it the node starts a new cluster.")
    List<String> seeds = List.of();

    @Option(names = "--memory", paramLabel = "SIZE",
        description = "Off-heap budget, for example 4GiB (default: modelcache.node.memory-budget).")
    String memory;

    @Option(names = "--config", paramLabel = "FILE", description = "HOCON file overriding the defaults.")
    Path config;

    @Override
    public Integer call() throws Exception {
        // A node logs its life (members, models stored, loads); the other commands only print their result.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.modelcache")).setLevel(Level.INFO);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.pekko")).setLevel(Level.WARN);
        Config overrides = Cli.loadConfig(config);
        if (memory != null) {
            overrides = overrides.withValue("modelcache.node.memory-budget",
                ConfigValueFactory.fromAnyRef(Cli.parseBytes("--memory", memory)));
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + " is outside 0..65535");
        }
        ModelCacheNode node = ModelCacheNode.start(ModelCacheNode.Role.DATA, host, port, seeds, overrides);
        System.out.println("modelcache node up at " + node.hostPort() + " (Ctrl-C or SIGTERM to leave)");
        node.system().getWhenTerminated().toCompletableFuture().join();
        System.out.println("modelcache node at " + node.hostPort() + " left the cluster");
        return 0;
    }
}
