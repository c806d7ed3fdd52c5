package io.modelcache.sim.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free ports on 127.0.0.1 for the servers the bench and the simulator start. */
public final class Ports {
    private Ports() {
    }

    /**
     * Binds port 0 on 127.0.0.1 and releases the port the system chose. Another process could take it before the
     * caller's server binds it; the server then fails to start and says so.
     *
     * @return a port that was free a moment ago
     */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }
}
