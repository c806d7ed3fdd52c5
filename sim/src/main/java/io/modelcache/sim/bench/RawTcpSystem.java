package io.modelcache.sim.bench;

import io.modelcache.sim.RawTcpServer;
import io.modelcache.sim.process.ChildProcess;
import io.modelcache.sim.process.JavaCommand;
import io.modelcache.sim.process.Ports;
import io.modelcache.sim.process.Workspace;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;

/**
 * The ceiling: a {@link RawTcpServer} process streams the bytes from its off-heap memory in 1 MiB writes; each
 * client has its own connection and reads them into its own off-heap memory. No protocol, no copies on the heap:
 * what any store that moves bytes between processes over TCP on this machine can at best reach.
 */
final class RawTcpSystem extends ReadAllSystem {
    private static final long START_TIMEOUT_MS = 60_000;
    private static final long STOP_TIMEOUT_MS = 10_000;

    private final Workspace workspace;
    private ChildProcess server;
    private int port;

    RawTcpSystem(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public String name() {
        return "raw-tcp";
    }

    @Override
    protected void start() throws Exception {
        port = Ports.free();
        long heapBytes = 256L << 20;
        server = workspace.start("raw-tcp-server", JavaCommand.of(heapBytes, List.of(), RawTcpServer.class,
            List.of(Integer.toString(port), Long.toString(values.sizeBytes()), Long.toString(values.seed()))),
            Map.of());
        server.awaitListening(port, START_TIMEOUT_MS);
    }

    @Override
    protected Reader openReader(int clientIndex) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ByteBuffer request = ByteBuffer.allocate(1);
        return new Reader() {
            @Override
            public void readAll(MemorySegment destination) throws IOException {
                channel.write(request.clear().put(0, RawTcpServer.REQUEST));
                long size = destination.byteSize();
                for (long offset = 0; offset < size; offset += RawTcpServer.WRITE_BYTES) {
                    ByteBuffer buffer = destination.asSlice(offset, Math.min(RawTcpServer.WRITE_BYTES, size - offset))
                        .asByteBuffer();
                    while (buffer.hasRemaining()) {
                        if (channel.read(buffer) < 0) {
                            throw new EOFException("raw-tcp server closed the stream at byte "
                                + (offset + buffer.position()) + " of " + size);
                        }
                    }
                }
            }

            @Override
            public void close() {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // The server sees end of input and closes its side; nothing else to release.
                }
            }
        };
    }

    @Override
    public List<String> notes() {
        return List.of("raw-tcp: a separate JVM streams the bytes from off-heap memory in 1 MiB writes, one "
            + "connection per client");
    }

    @Override
    protected void stop() {
        if (server != null) {
            workspace.stop(server, STOP_TIMEOUT_MS);
        }
    }
}
