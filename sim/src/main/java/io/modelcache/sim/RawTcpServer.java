package io.modelcache.sim;

import io.modelcache.sim.bench.ValueSet;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The ceiling of the bench: a process that holds the bench's bytes in off-heap memory and streams all of them to
 * each request over plain TCP, in 1 MiB writes straight from that memory.
 *
 * <p>Protocol, per connection: the client sends one byte ({@link #REQUEST}); the server answers with every byte
 * of the value set, then waits for the next request; end of input closes the connection. The bytes are
 * generated from the seed ({@link ValueSet#fill}), the same as the bench's own.
 *
 * <p>Usage: {@code RawTcpServer PORT SIZE_BYTES SEED}; it listens on 127.0.0.1 once the bytes are ready, and
 * exits when its standard input closes or on SIGTERM.
 */
public final class RawTcpServer {
    /** The one request: send everything. */
    public static final byte REQUEST = 'G';
    /** Bytes per write call. */
    public static final int WRITE_BYTES = 1 << 20;

    private RawTcpServer() {
    }

    /**
     * Starts the server.
     *
     * @param args port, size in bytes, seed
     * @throws IOException when the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: RawTcpServer PORT SIZE_BYTES SEED");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        long sizeBytes = Long.parseLong(args[1]);
        long seed = Long.parseLong(args[2]);
        ParentWatch.exitWhenStdinCloses();

        MemorySegment bytes = Arena.global().allocate(sizeBytes, 64);
        ValueSet.fill(bytes, seed);
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", port));
            System.out.println("raw-tcp server listening on 127.0.0.1:" + port + " with " + sizeBytes + " bytes");
            while (true) {
                SocketChannel connection = server.accept();
                Thread.ofPlatform().daemon().name("raw-tcp-connection").start(() -> serve(connection, bytes));
            }
        }
    }

    private static void serve(SocketChannel connection, MemorySegment bytes) {
        try (connection) {
            connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ByteBuffer request = ByteBuffer.allocate(1);
            while (connection.read(request.clear()) > 0) {
                if (request.get(0) != REQUEST) {
                    System.err.println("raw-tcp server: unknown request byte " + request.get(0) + ", closing");
                    return;
                }
                sendAll(connection, bytes);
            }
        } catch (IOException e) {
            // The client went away mid-stream (the bench timed out or stopped): nothing to serve it.
        }
    }

    private static void sendAll(SocketChannel connection, MemorySegment bytes) throws IOException {
        long size = bytes.byteSize();
        for (long offset = 0; offset < size; offset += WRITE_BYTES) {
            ByteBuffer buffer = bytes.asSlice(offset, Math.min(WRITE_BYTES, size - offset)).asByteBuffer();
            while (buffer.hasRemaining()) {
                connection.write(buffer);
            }
        }
    }
}
