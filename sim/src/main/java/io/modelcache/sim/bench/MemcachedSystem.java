package io.modelcache.sim.bench;

import io.modelcache.sim.process.Workspace;
import net.spy.memcached.CachedData;
import net.spy.memcached.ConnectionFactory;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.transcoders.Transcoder;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * memcached: Debian's {@code memcached} on a free 127.0.0.1 port ({@code -U 0 -t 2}, memory and item size limits
 * raised to hold the values), started and stopped by the bench. Values are SET once with spymemcached; each
 * client (its own {@link MemcachedClient}, so its own connection and I/O thread) GETs every value and copies it
 * into its off-heap memory. Values travel as raw bytes: spymemcached's default transcoder would gzip them.
 */
final class MemcachedSystem extends ServerProgramSystem {
    private static final long STOP_TIMEOUT_MS = 10_000;
    private static final long OPERATION_TIMEOUT_MS = 60_000;
    private static final long CONNECT_TIMEOUT_MS = 30_000;
    private static final int MIB = 1 << 20;

    private String[] keys;

    MemcachedSystem(Workspace workspace, boolean mayInstall, PrintStream out) {
        super("memcached", workspace, mayInstall, out);
        // spymemcached logs through its own logger to standard error unless told to use SLF4J.
        System.setProperty("net.spy.log.LoggerImpl", "net.spy.memcached.compat.log.SLF4JLogger");
    }

    @Override
    public String name() {
        return "memcached";
    }

    /**
     * {@code -m} (MiB of item memory) and {@code -I} (largest item) grow from the defaults measured in PEERS.md
     * ({@code -m 2048 -I 2m}) when the values need more, so that nothing is evicted or refused.
     */
    @Override
    protected List<String> arguments() {
        long itemMaxMib = Math.max(2, Math.ceilDiv(values.valueSizeBytes(), MIB) + 1);
        long memoryMib = Math.max(2048, Math.max(2 * Math.ceilDiv(values.sizeBytes(), MIB), 2 * itemMaxMib));
        List<String> arguments = new ArrayList<>(List.of("-l", "127.0.0.1", "-p", Integer.toString(port), "-U", "0",
            "-m", Long.toString(memoryMib), "-I", itemMaxMib + "m", "-t", "2"));
        if ("root".equals(ProcessHandle.current().info().user().orElse(""))) {
            arguments.addAll(List.of("-u", "root")); // memcached refuses to start as root without -u
        }
        return arguments;
    }

    @Override
    protected void store() throws Exception {
        keys = new String[values.valueCount()];
        MemcachedClient client = connect();
        try {
            for (int i = 0; i < keys.length; i++) {
                keys[i] = "value:" + i;
                if (!client.set(keys[i], 0, values.valueArray(i), RawBytes.INSTANCE)
                    .get(OPERATION_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("memcached refused value " + i + " of " + values.lengthOf(i)
                        + " bytes; " + serverLogSummary());
                }
            }
        } finally {
            client.shutdown(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Connects one client and waits until its connection is up: spymemcached connects in the background, and with
     * {@link FailureMode#Cancel} an operation issued before that is cancelled (seen on a busy machine).
     */
    private MemcachedClient connect() throws IOException, InterruptedException, TimeoutException {
        // spymemcached's 16 KiB read buffer stays: 256 KiB and 1 MiB measured no faster here (bench --size 256MiB
        // --systems memcached, 1 and 4 clients, within the run-to-run spread).
        ConnectionFactory factory = new ConnectionFactoryBuilder().setOpTimeout(OPERATION_TIMEOUT_MS)
            .setFailureMode(FailureMode.Cancel).setDaemon(true).build();
        MemcachedClient client = new MemcachedClient(factory, List.of(new InetSocketAddress("127.0.0.1", port)));
        long deadlineNs = System.nanoTime() + CONNECT_TIMEOUT_MS * 1_000_000;
        while (client.getAvailableServers().isEmpty()) {
            if (System.nanoTime() > deadlineNs) {
                client.shutdown(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                throw new TimeoutException("spymemcached did not connect to 127.0.0.1:" + port + " within "
                    + CONNECT_TIMEOUT_MS + " ms");
            }
            Thread.sleep(10);
        }
        return client;
    }

    @Override
    protected Reader openReader(int clientIndex) throws Exception {
        MemcachedClient client = connect();
        return new Reader() {
            @Override
            public void readAll(MemorySegment destination) {
                copyEach(i -> client.get(keys[i], RawBytes.INSTANCE), destination);
            }

            @Override
            public void close() {
                client.shutdown(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        };
    }

    @Override
    public List<String> notes() {
        return List.of("memcached: " + commandLine() + "; spymemcached GET, one MemcachedClient (connection) per "
            + "client");
    }

    /** Values as they are: no compression, no serialization, flags 0. */
    private enum RawBytes implements Transcoder<byte[]> {
        INSTANCE;

        @Override
        public boolean asyncDecode(CachedData data) {
            return false;
        }

        @Override
        public CachedData encode(byte[] value) {
            return new CachedData(0, value, getMaxSize());
        }

        @Override
        public byte[] decode(CachedData data) {
            return data.getData();
        }

        @Override
        public int getMaxSize() {
            return Integer.MAX_VALUE;
        }
    }
}
