package io.modelcache.sim.scenario;

import io.modelcache.node.Failures;
import io.modelcache.sim.process.ChildProcess;
import io.modelcache.sim.process.ProcessMeter;
import io.modelcache.sim.scenario.ClientProcess.ClientEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One round of loads: every client of the cluster loads the model once, at the same time, while the round does its
 * faults. Its thread waits on the clients' events in slices of at most 20 ms, doing each fault when it is due (a
 * time after the loads were sent) or when the first client reports the fault's fraction of progress (that client
 * holds its load until the fault is done and the round answers {@code resume}), and sending SIGCONT when a stop's
 * duration has passed. The round ends when every client has answered and every fault and resume due has been done;
 * a client that has not answered within the case's bound plus 30 s is killed and the round fails.
 *
 * <p>After the round, faults whose effect takes time are followed up, outside the measured window: a node that was
 * asked to leave is awaited until it exits, a joining node until the cluster counts it.
 */
final class LoadRound {
    private static final Logger LOG = LoggerFactory.getLogger(LoadRound.class);
    private static final long SLICE_MS = 20;
    private static final long GRACE_MS = 30_000;
    private static final long KILL_TIMEOUT_MS = 10_000;
    private static final long LEAVE_TIMEOUT_MS = 30_000;
    private static final long JOIN_TIMEOUT_MS = 120_000;

    private final SimCluster cluster;
    private final ProcessMeter meter;
    private final List<FaultState> faults;
    private final long withinMs;
    private final Map<ClientProcess, String> ids = new LinkedHashMap<>();
    private final Map<ClientProcess, ProtocolLine> results = new LinkedHashMap<>();
    private long startNs;

    /**
     * What a round measured.
     *
     * @param results each client's result line, in client order
     * @param faults what happened to each fault
     * @param usage CPU and peak memory of each process over the loads
     */
    record Outcome(List<ProtocolLine> results, List<FaultState> faults, Map<ChildProcess, ProcessMeter.Usage> usage) {
    }

    /** A fault of this round and what became of it. */
    static final class FaultState {
        final Fault fault;
        boolean isApplied;
        double appliedAtSeconds = Double.NaN;
        double loadedFraction = Double.NaN;
        String detail = "";
        private ChildProcess target;
        private long appliedNs;
        private long resumeDueNs;
        private boolean isResumePending;
        private CompletableFuture<Long> exitedNs;

        FaultState(Fault fault) {
            this.fault = fault;
        }

        boolean isDueAt(long elapsedNs) {
            return !isApplied && fault.trigger() instanceof Fault.AtTime(Duration offset)
                && elapsedNs >= offset.toNanos();
        }

        boolean isWaitingForTime() {
            return !isApplied && fault.trigger() instanceof Fault.AtTime;
        }
    }

    LoadRound(SimCluster cluster, ProcessMeter meter, List<Fault> faults, long withinMs) {
        this.cluster = cluster;
        this.meter = meter;
        this.faults = faults.stream().map(FaultState::new).toList();
        this.withinMs = withinMs;
    }

    /**
     * Runs the round.
     *
     * @param load the load command every client gets ({@code name}, {@code strategy}, {@code parallelism},
     *     {@code source}); ids, the timeout and the hold are added
     * @throws TimeoutException when a client did not answer in time; it was killed
     * @throws IllegalStateException when a client exited, with the end of its log
     * @throws InterruptedException if interrupted
     */
    Outcome run(ProtocolLine load) throws Exception {
        meter.begin();
        startNs = System.nanoTime();
        sendLoads(load);
        long deadlineNs = startNs + (withinMs + GRACE_MS) * 1_000_000;
        while (results.size() < ids.size() || hasPendingWork()) {
            long nowNs = System.nanoTime();
            if (nowNs > deadlineNs) {
                throw stuck();
            }
            ClientEvent event = cluster.nextEvent(Math.clamp(nextDueMs(nowNs), 1, SLICE_MS));
            if (event != null) {
                onEvent(event);
            }
            applyDue(System.nanoTime());
        }
        Map<ChildProcess, ProcessMeter.Usage> usage = meter.end();
        for (FaultState state : faults) {
            followUp(state);
        }
        return new Outcome(List.copyOf(results.values()), faults, usage);
    }

    private void sendLoads(ProtocolLine load) {
        ProtocolLine command = load.with("timeout-ms", withinMs);
        double holdAt = faults.stream().filter(state -> state.fault.trigger() instanceof Fault.AtProgress)
            .mapToDouble(state -> ((Fault.AtProgress) state.fault.trigger()).fraction()).min().orElse(Double.NaN);
        for (ClientProcess client : cluster.clients()) {
            String id = SimCluster.nextId();
            ids.put(client, id);
            ProtocolLine withId = command.with("id", id);
            client.send(client.number() == 1 && !Double.isNaN(holdAt) ? withId.with("hold-at", holdAt) : withId);
        }
    }

    private boolean hasPendingWork() {
        for (FaultState state : faults) {
            if (state.isWaitingForTime() || state.isResumePending) {
                return true;
            }
        }
        return false;
    }

    /** @return milliseconds until the next time fault or resume is due, at most a slice */
    private long nextDueMs(long nowNs) {
        long nextNs = nowNs + TimeUnit.MILLISECONDS.toNanos(SLICE_MS);
        for (FaultState state : faults) {
            if (state.isWaitingForTime() && state.fault.trigger() instanceof Fault.AtTime(Duration offset)) {
                nextNs = Math.min(nextNs, startNs + offset.toNanos());
            }
            if (state.isResumePending) {
                nextNs = Math.min(nextNs, state.resumeDueNs);
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(nextNs - nowNs);
    }

    private void onEvent(ClientEvent event) throws Exception {
        ProtocolLine line = event.line();
        if (line == null) {
            throw new IllegalStateException(event.client() + " exited during its load; "
                + event.client().process().logSummary());
        }
        String id = ids.get(event.client());
        boolean isOurs = id != null && id.equals(line.get("id", ""));
        if (line.verb().equals("progress")) {
            if (isOurs && event.client().number() == 1) {
                applyAtProgress(line.getLong("done") / (double) line.getLong("total"));
            }
            event.client().send(ProtocolLine.of("resume", "id", line.get("id")));
        } else if (line.verb().equals("result") && isOurs) {
            results.put(event.client(), line);
            if (results.size() == ids.size()) {
                for (FaultState state : faults) {
                    if (!state.isApplied && state.fault.trigger() instanceof Fault.AtProgress progress) {
                        state.detail = "not done: the load ended before reaching " + progress.describe()
                            .substring("at ".length());
                    }
                }
            }
        }
    }

    private void applyAtProgress(double loadedFraction) throws Exception {
        for (FaultState state : faults) {
            if (!state.isApplied && state.fault.trigger() instanceof Fault.AtProgress) {
                state.loadedFraction = loadedFraction;
                apply(state);
            }
        }
    }

    private void applyDue(long nowNs) throws Exception {
        for (FaultState state : faults) {
            if (state.isDueAt(nowNs - startNs)) {
                apply(state);
            }
            if (state.isResumePending && nowNs >= state.resumeDueNs) {
                state.target.resume();
                state.isResumePending = false;
                state.detail = String.format(Locale.ROOT, "SIGSTOP, then SIGCONT %.1f s later",
                    (System.nanoTime() - state.appliedNs) / 1e9);
            }
        }
    }

    private void apply(FaultState state) throws Exception {
        Fault fault = state.fault;
        state.appliedNs = System.nanoTime();
        state.appliedAtSeconds = (state.appliedNs - startNs) / 1e9;
        state.isApplied = true;
        switch (fault.action()) {
            case KILL -> kill(state);
            case STOP -> {
                state.target = cluster.node(fault.node());
                state.target.suspend();
                state.resumeDueNs = state.appliedNs + fault.duration().toNanos();
                state.isResumePending = true;
            }
            case LEAVE -> {
                state.target = cluster.node(fault.node());
                state.exitedNs = state.target.process().onExit().thenApply(exited -> System.nanoTime());
                state.target.process().destroy();
            }
            case JOIN -> {
                state.target = cluster.startNode();
                state.detail = "started " + state.target;
            }
        }
        LOG.info("Fault done [fault={}, seconds={}, loadedFraction={}]", fault.describe(),
            String.format(Locale.ROOT, "%.3f", state.appliedAtSeconds),
            String.format(Locale.ROOT, "%.2f", state.loadedFraction));
    }

    private void kill(FaultState state) throws InterruptedException {
        state.target = cluster.node(state.fault.node());
        Process process = state.target.process();
        process.destroyForcibly();
        state.detail = process.waitFor(KILL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            ? "SIGKILL; exited with code " + process.exitValue()
            : "SIGKILL; still running " + KILL_TIMEOUT_MS + " ms later";
    }

    private void followUp(FaultState state) throws Exception {
        if (!state.isApplied) {
            return;
        }
        switch (state.fault.action()) {
            case LEAVE -> {
                try {
                    long exitedNs = state.exitedNs.get(LEAVE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    state.detail = String.format(Locale.ROOT, "SIGTERM; left and exited with code %d %.1f s later",
                        state.target.process().exitValue(), (exitedNs - state.appliedNs) / 1e9);
                } catch (TimeoutException e) {
                    state.detail = "SIGTERM; still running " + LEAVE_TIMEOUT_MS + " ms later";
                }
            }
            case JOIN -> {
                int expected = cluster.liveNodes();
                try {
                    cluster.awaitNodes(expected, JOIN_TIMEOUT_MS);
                    state.detail = String.format(Locale.ROOT, "started; the cluster had %d data nodes up %.1f s "
                        + "after the start", expected, (System.nanoTime() - state.appliedNs) / 1e9);
                } catch (TimeoutException | IllegalStateException e) {
                    state.detail = "started, but did not join: " + Failures.describe(e);
                }
            }
            default -> {
                // A kill is complete when done; a stop when resumed.
            }
        }
    }

    private TimeoutException stuck() {
        List<String> stuck = new ArrayList<>();
        for (ClientProcess client : ids.keySet()) {
            if (!results.containsKey(client)) {
                client.process().process().destroyForcibly();
                stuck.add(client.toString());
            }
        }
        return new TimeoutException(String.join(", ", stuck) + " did not finish the load within " + withinMs
            + " ms and " + GRACE_MS + " ms of grace, so " + (stuck.size() == 1 ? "it was" : "they were")
            + " killed" + (hasPendingWork() ? "; faults were still due" : ""));
    }
}
