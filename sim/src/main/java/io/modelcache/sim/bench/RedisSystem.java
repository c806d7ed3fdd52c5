package io.modelcache.sim.bench;

import io.modelcache.sim.process.Workspace;
import redis.clients.jedis.Jedis;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Redis: Debian's {@code redis-server} on a free 127.0.0.1 port, without persistence, started and stopped by
 * the bench. Values are SET once with Jedis's binary API, then each client (its own Jedis connection) GETs every
 * value and copies it into its off-heap memory.
 */
final class RedisSystem extends ServerProgramSystem {
    private static final int SOCKET_TIMEOUT_MS = 60_000;

    private byte[][] keys;
    private long usedMemoryBytes;

    RedisSystem(Workspace workspace, boolean mayInstall, PrintStream out) {
        super("redis-server", workspace, mayInstall, out);
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    protected List<String> arguments() {
        return List.of("--bind", "127.0.0.1", "--port", Integer.toString(port), "--save", "", "--appendonly", "no");
    }

    @Override
    protected void store() {
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
                copyEach(i -> jedis.get(keys[i]), destination);
            }

            @Override
            public void close() {
                jedis.close();
            }
        };
    }

    @Override
    public List<String> notes() {
        return List.of(String.format("redis: %s; Jedis binary GET, one connection per client; used_memory %.2f bytes "
            + "per byte stored", commandLine(), usedMemoryBytes / (double) values.sizeBytes()));
    }
}
