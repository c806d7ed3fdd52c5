package io.modelcache.sim.bench;

import redis.clients.jedis.Jedis;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Redis: Debian's {@code redis-server} on a free 127.0.0.1 port, without persistence, started and stopped by
 * the bench. Values are SET once with Jedis's binary API, then each client (its own Jedis connection) GETs every
 * value and copies it into its off-heap memory.
 */
final class RedisSystem extends ReadAllSystem {
    private static final long START_TIMEOUT_MS = 30_000;
    private static final long STOP_TIMEOUT_MS = 10_000;
    private static final int SOCKET_TIMEOUT_MS = 60_000;

    private final Workspace workspace;
    private final boolean mayInstall;
    private final PrintStream out;
    private Path program;
    private ChildProcess server;
    private int port;
    private byte[][] keys;
    private long usedMemoryBytes;

    RedisSystem(Workspace workspace, boolean mayInstall, PrintStream out) {
        this.workspace = workspace;
        this.mayInstall = mayInstall;
        this.out = out;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Optional<String> unavailableReason() throws InterruptedException {
        try {
            program = DebianPackages.require("redis-server", "redis-server", mayInstall, workspace, out);
            return Optional.empty();
        } catch (DebianPackages.UnavailableException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    protected void start() throws Exception {
        port = Ports.free();
        server = workspace.start("redis", List.of(program.toString(), "--bind", "127.0.0.1", "--port",
            Integer.toString(port), "--save", "", "--appendonly", "no"), Map.of());
        server.awaitListening(port, START_TIMEOUT_MS);
        keys = new byte[values.valueCount()][];
        try (Jedis jedis = connect()) {
            for (int i = 0; i < keys.length; i++) {
                keys[i] = ("value:" + i).getBytes(StandardCharsets.US_ASCII);
                jedis.set(keys[i], values.valueArray(i));
            }
            usedMemoryBytes = usedMemoryBytes(jedis.info("memory"));
        }
    }

    private static long usedMemoryBytes(String info) {
        return info.lines().filter(line -> line.startsWith("used_memory:"))
            .mapToLong(line -> Long.parseLong(line.substring("used_memory:".length()).trim())).findFirst().orElse(-1);
    }

    private Jedis connect() {
        return new Jedis("127.0.0.1", port, SOCKET_TIMEOUT_MS);
    }

    @Override
    protected Reader openReader(int clientIndex) {
        Jedis jedis = connect();
        return new Reader() {
            @Override
            public void readAll(MemorySegment destination) {
                for (int i = 0; i < keys.length; i++) {
                    byte[] value = jedis.get(keys[i]);
                    if (value == null || value.length != values.lengthOf(i)) {
                        throw new IllegalStateException("redis returned " + (value == null ? "nothing" : value.length
                            + " bytes") + " for value " + i + ", expected " + values.lengthOf(i) + " bytes");
                    }
                    MemorySegment.copy(value, 0, destination, ValueLayout.JAVA_BYTE, values.offsetOf(i), value.length);
                }
            }

            @Override
            public void close() {
                jedis.close();
            }
        };
    }

    @Override
    public List<String> notes() {
        return List.of(String.format("redis: redis-server --save '' --appendonly no, Jedis binary GET, one connection "
            + "per client; used_memory %.2f bytes per byte stored", usedMemoryBytes / (double) values.sizeBytes()));
    }

    @Override
    protected void stop() {
        if (server != null) {
            workspace.stop(server, STOP_TIMEOUT_MS);
        }
    }
}
