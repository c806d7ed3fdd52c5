package io.modelcache.sim.scenario;

import io.modelcache.sim.process.ChildProcess;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.BlockingQueue;

/**
 * The simulator's side of one client JVM ({@link io.modelcache.sim.SimClient}): writes commands to its standard
 * input and turns each line of its standard output into a {@link ClientEvent} on a queue the cluster shares among
 * its clients, so one thread can wait for all of them with a timeout (a read from a pipe cannot be interrupted).
 * Every protocol line is also appended to the client's log. When the output ends (the JVM exited) the queue gets an
 * event with no line.
 */
final class ClientProcess {
    private final int number;
    private final ChildProcess process;
    private final OutputStream commands;

    /**
     * An event from a client: a protocol line, or its end.
     *
     * @param client the client it came from
     * @param line the line, or {@code null} when the client's output ended
     */
    record ClientEvent(ClientProcess client, ProtocolLine line) {
    }

    ClientProcess(int number, ChildProcess process, BlockingQueue<ClientEvent> events) {
        this.number = number;
        this.process = process;
        this.commands = process.process().getOutputStream();
        Thread reader = new Thread(() -> readOutput(events), "sim-" + process.name() + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** @return its number, from 1; client 1 stores the models */
    int number() {
        return number;
    }

    /** @return its JVM */
    ChildProcess process() {
        return process;
    }

    /**
     * Writes one command.
     *
     * @throws IllegalStateException when the client is gone, with the end of its log
     */
    void send(ProtocolLine command) {
        try {
            commands.write((command.render() + "\n").getBytes(StandardCharsets.UTF_8));
            commands.flush();
        } catch (IOException e) {
            throw new IllegalStateException(process.name() + " does not take commands any more ("
                + e.getMessage() + "); " + process.logSummary());
        }
    }

    private void readOutput(BlockingQueue<ClientEvent> events) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.process().getInputStream(),
            StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                appendToLog(line);
                ProtocolLine parsed = parseQuietly(line);
                if (parsed != null) {
                    events.add(new ClientEvent(this, parsed));
                }
            }
        } catch (IOException closed) {
            // The process is gone; the event below says so.
        }
        events.add(new ClientEvent(this, null));
    }

    private ProtocolLine parseQuietly(String line) {
        try {
            return ProtocolLine.parse(line);
        } catch (IllegalArgumentException e) {
            appendToLog("simulator: cannot read that line: " + e.getMessage());
            return null;
        }
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(process.logFile(), "stdout: " + line + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        } catch (IOException e) {
            // The log is for people; the event still reaches the simulator.
        }
    }

    @Override
    public String toString() {
        return "client-" + number;
    }
}
