package io.modelcache.sim.bench;

import io.modelcache.sim.process.Workspace;

import java.io.PrintStream;
import java.util.List;

/** The systems the bench knows, by the names {@code --systems} takes. */
public final class Systems {
    /** Every system, in the order the bench measures them by default. */
    public static final List<String> NAMES = List.of("page-cache", "raw-tcp", "redis", "memcached", "hazelcast",
        "modelcache", "modelcache-aeron", "modelcache-ipc");

    /** The system the others are compared with. */
    public static final String REFERENCE = "modelcache";

    private Systems() {
    }

    /**
     * @param name one of {@link #NAMES}
     * @throws IllegalArgumentException naming the value when it is not
     */
    static BenchSystem create(String name, BenchSettings settings, Workspace workspace, PrintStream out) {
        return switch (name) {
            case "page-cache" -> new PageCacheSystem(workspace);
            case "raw-tcp" -> new RawTcpSystem(workspace);
            case "redis" -> new RedisSystem(workspace, settings.mayInstall(), out);
            case "memcached" -> new MemcachedSystem(workspace, settings.mayInstall(), out);
            case "hazelcast" -> new HazelcastSystem(workspace);
            case "modelcache" -> new ModelCacheSystem(workspace, settings.loadParallelism(), "tcp", false);
            case "modelcache-aeron" -> new ModelCacheSystem(workspace, settings.loadParallelism(), "aeron", false);
            case "modelcache-ipc" -> new ModelCacheSystem(workspace, settings.loadParallelism(), "aeron", true);
            default -> throw new IllegalArgumentException("system '" + name + "' is not one of "
                + String.join(", ", NAMES));
        };
    }
}
