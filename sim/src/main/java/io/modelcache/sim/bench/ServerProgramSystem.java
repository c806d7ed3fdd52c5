package io.modelcache.sim.bench;

import io.modelcache.sim.process.ChildProcess;
import io.modelcache.sim.process.Ports;
import io.modelcache.sim.process.Workspace;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A system served by a program of Debian's (redis-server, memcached): found on the machine, or installed with
 * apt-get when allowed; started on a free 127.0.0.1 port in the foreground, owned by the bench's workspace and
 * stopped with SIGTERM.
 */
abstract class ServerProgramSystem extends ReadAllSystem {
    private static final long START_TIMEOUT_MS = 30_000;
    private static final long STOP_TIMEOUT_MS = 10_000;

    private final String program;
    private final Workspace workspace;
    private final boolean mayInstall;
    private final PrintStream out;
    private Path programPath;
    private ChildProcess server;
    private String commandLine = "";
    protected int port;

    ServerProgramSystem(String program, Workspace workspace, boolean mayInstall, PrintStream out) {
        this.program = program;
        this.workspace = workspace;
        this.mayInstall = mayInstall;
        this.out = out;
    }

    /** @return the server's command line after the program's path, listening on {@link #port} */
    protected abstract List<String> arguments();

    /** Stores every value in the running server. */
    protected abstract void store() throws Exception;

    @Override
    public final Optional<String> unavailableReason() throws InterruptedException {
        try {
            // Debian names both packages after their program.
            programPath = DebianPackages.require(program, program, mayInstall, workspace, out);
            return Optional.empty();
        } catch (DebianPackages.UnavailableException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    protected final void start() throws Exception {
        port = Ports.free();
        List<String> command = new ArrayList<>(List.of(programPath.toString()));
        command.addAll(arguments());
        commandLine = String.join(" ", command.stream().map(word -> word.isEmpty() ? "''" : word).toList());
        server = workspace.start(name(), command, Map.of());
        server.awaitListening(port, START_TIMEOUT_MS);
        store();
    }

    /** @return the server's command line as started, for the notes */
    protected final String commandLine() {
        return commandLine;
    }

    /** @return the end of the server's log, for messages */
    protected final String serverLogSummary() {
        return server.logSummary();
    }

    @Override
    protected final void stop() {
        if (server != null) {
            workspace.stop(server, STOP_TIMEOUT_MS);
        }
    }
}
