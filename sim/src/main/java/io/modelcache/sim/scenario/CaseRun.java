package io.modelcache.sim.scenario;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import io.modelcache.node.Failures;
import io.modelcache.node.TransferStrategy;
import io.modelcache.sim.process.ChildProcess;
import io.modelcache.sim.process.ProcessMeter;
import io.modelcache.sim.process.Workspace;
import io.modelcache.sim.scenario.SweepPoint.ClusterShape;
import io.modelcache.timing.TimeModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one scenario case: its sweep points on as few clusters as they allow, each model stored once per store shape
 * and loaded for every load strategy and P of that shape, {@code loads} rounds each; then evaluates the case's
 * checks.
 *
 * <p>Consecutive points on one cluster shape (node count, chunk size) share a cluster, which is restarted when the
 * shape changes. A case with faults gets a new cluster for every point, since a fault leaves the cluster damaged,
 * and does its faults in the point's first load round. A failure that leaves the cluster unusable (a process that
 * would not start, a client that had to be killed) ends that cluster's points, is reported, and the case goes on with
 * its next cluster.
 */
final class CaseRun {
    private static final Logger LOG = LoggerFactory.getLogger(CaseRun.class);
    private static final long REMOVE_TIMEOUT_MS = 60_000;

    private final ScenarioCase scenarioCase;
    private final Workspace workspace;
    private final ProcessMeter meter;
    private final ModelFiles modelFiles;
    private final PrintStream out;
    private final int batchChunks;
    private final List<Measurement> measurements = new ArrayList<>();
    private final List<FaultRecord> faultRecords = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> survivors = new ArrayList<>();
    private int clusterCount;
    private int putCount;

    /** A stored model: its name in the cluster and its shape. */
    private record Stored(String name, long bytes, int chunks) {
    }

    CaseRun(ScenarioCase scenarioCase, Workspace workspace, ProcessMeter meter, ModelFiles modelFiles,
            PrintStream out) {
        this.scenarioCase = scenarioCase;
        this.workspace = workspace;
        this.meter = meter;
        this.modelFiles = modelFiles;
        this.out = out;
        this.batchChunks = scenarioCase.memberConfig().withFallback(ConfigFactory.defaultReference())
            .getInt("modelcache.loader.batch-chunks");
    }

    /**
     * Runs every point. Failures are recorded, not thrown.
     *
     * @throws InterruptedException if interrupted; the clusters started are stopped first
     */
    void run() throws InterruptedException {
        Path modelFile;
        Path memberConfig;
        try {
            modelFile = modelFiles.file(scenarioCase.model());
            memberConfig = writeMemberConfig();
        } catch (IOException | RuntimeException e) {
            fail("cannot prepare the case: " + Failures.describe(e));
            return;
        }
        List<SweepPoint> points = scenarioCase.sweep().points();
        int start = 0;
        while (start < points.size()) {
            int end = start + 1;
            while (!scenarioCase.hasFaults() && end < points.size()
                && points.get(end).clusterShape().equals(points.get(start).clusterShape())) {
                end++;
            }
            runOnOneCluster(points.subList(start, end), start + 1, modelFile, memberConfig);
            start = end;
        }
    }

    private Path writeMemberConfig() throws IOException {
        Path file = workspace.directory().resolve(scenarioCase.name() + "-members.conf");
        Files.writeString(file, scenarioCase.memberConfig().root().render(ConfigRenderOptions.concise()));
        return file;
    }

    private void runOnOneCluster(List<SweepPoint> points, int firstNumber, Path modelFile, Path memberConfig)
        throws InterruptedException {
        ClusterShape shape = points.getFirst().clusterShape();
        clusterCount++;
        String prefix = scenarioCase.name() + "-" + clusterCount + "-";
        SimCluster cluster = null;
        try {
            long startNs = System.nanoTime();
            cluster = SimCluster.start(workspace, meter, scenarioCase, shape, prefix, memberConfig);
            print("cluster of %d data nodes, %s chunks, %d client%s up in %.1f s", shape.nodes(),
                describeBytes(shape.chunkSizeBytes()), scenarioCase.clients().count(),
                scenarioCase.clients().count() == 1 ? "" : "s", (System.nanoTime() - startNs) / 1e9);
            if (scenarioCase.isWarmUp()) {
                long warmUpStartNs = System.nanoTime();
                warmUp(cluster, points.getFirst(), modelFile);
                print("warmed up (a put, a load and a remove, unmeasured) in %.1f s",
                    (System.nanoTime() - warmUpStartNs) / 1e9);
            }
            int from = 0;
            while (from < points.size()) {
                int to = from + 1;
                while (to < points.size() && points.get(to).storeShape().equals(points.get(from).storeShape())) {
                    to++;
                }
                storeAndLoad(cluster, points.subList(from, to), firstNumber + from, modelFile);
                from = to;
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            String which = points.size() == 1 ? "point " + firstNumber
                : "points " + firstNumber + ".." + (firstNumber + points.size() - 1);
            fail(which + " on " + shape.nodes() + " node" + (shape.nodes() == 1 ? "" : "s") + ": "
                + Failures.describe(e));
        } finally {
            if (cluster != null) {
                long stopStartNs = System.nanoTime();
                cluster.close();
                survivors.addAll(cluster.survivors());
                print("cluster stopped in %.1f s%s", (System.nanoTime() - stopStartNs) / 1e9,
                    cluster.survivors().isEmpty() ? "" : "; still running: " + cluster.survivors());
            }
        }
    }

    /** Stores the model for one store shape, then runs the load rounds of each point on it and removes it. */
    private void storeAndLoad(SimCluster cluster, List<SweepPoint> points, int firstNumber, Path modelFile)
        throws Exception {
        SweepPoint first = points.getFirst();
        Stored stored = put(cluster, first, firstNumber, modelFile);
        if (stored == null) {
            return;
        }
        for (int i = 0; i < points.size(); i++) {
            for (int round = 1; round <= scenarioCase.loads(); round++) {
                loadRound(cluster, points.get(i), firstNumber + i, round, stored, modelFile);
            }
        }
        if (!scenarioCase.hasFaults()) {
            remove(cluster, stored.name());
        }
    }

    private Stored put(SimCluster cluster, SweepPoint point, int number, Path modelFile) throws Exception {
        putCount++;
        String name = scenarioCase.name() + "-" + putCount;
        ProtocolLine command = putCommand(point, name, modelFile);
        meter.begin();
        ProtocolLine result = cluster.call(cluster.clients().getFirst(), command,
            scenarioCase.checks().within().toMillis());
        Map<String, ProcessMeter.Usage> usage = byRole(cluster, meter.end());

        boolean isStored = result.isTrue("ok");
        long bytes = isStored ? result.getLong("bytes") : Files.size(modelFile);
        int chunks = isStored ? (int) result.getLong("chunks") : (int) Math.ceilDiv(bytes, point.chunkSizeBytes());
        double seconds = result.getDouble("seconds");
        measurements.add(new Measurement(scenarioCase.name(), number, "put", 1, scenarioCase.model().label(),
            point.placement(), point.store(), point.storeParallelism(),
            isStored ? (int) result.getLong("parallelism") : 0, point.nodes(), point.replicas(),
            point.chunkSizeBytes(), 1, bytes, chunks, chunks * point.replicas(), seconds, seconds, 0, isStored, true,
            isStored ? "" : result.get("error", "?"), false, usage));
        if (!isStored) {
            print("point %d: put %s R=%d failed after %.2f s: %s", number, label(point.store(),
                point.storeParallelism()), point.replicas(), seconds, result.get("error", "?"));
            return null;
        }
        print("point %d: put %s R=%d: %s in %d chunks, %.2f s (%.0f MB/s)", number,
            label(point.store(), point.storeParallelism()), point.replicas(), describeBytes(bytes), chunks, seconds,
            bytes / seconds / 1e6);
        return new Stored(name, bytes, chunks);
    }

    /**
     * Stores the model with the first point's settings, loads it once in every client and removes it, unmeasured, so
     * that no measured point pays for cold JVMs; a warm-up that fails or loads other bytes ends the cluster's points.
     */
    private void warmUp(SimCluster cluster, SweepPoint point, Path modelFile) throws Exception {
        ClientProcess first = cluster.clients().getFirst();
        long withinMs = scenarioCase.checks().within().toMillis();
        String name = scenarioCase.name() + "-warm-up-" + clusterCount;
        ProtocolLine put = cluster.call(first, putCommand(point, name, modelFile), withinMs);
        if (!put.isTrue("ok")) {
            throw new IllegalStateException("the warm-up put failed: " + put.get("error", "?"));
        }
        Stored stored = new Stored(name, put.getLong("bytes"), (int) put.getLong("chunks"));
        LoadRound.Outcome loads = new LoadRound(cluster, meter, List.of(), withinMs)
            .run(loadCommand(point, stored, modelFile));
        for (ProtocolLine load : loads.results()) {
            if (!load.isTrue("ok")) {
                throw new IllegalStateException("a warm-up load failed: " + load.get("error", "?"));
            }
            if (!load.isTrue("identical")) {
                throw new IllegalStateException("a warm-up load's bytes differ from the source at byte "
                    + load.get("mismatch-at", "?"));
            }
        }
        remove(cluster, name);
    }

    private void remove(SimCluster cluster, String name) throws Exception {
        ProtocolLine removed = cluster.call(cluster.clients().getFirst(), ProtocolLine.of("remove", "name", name),
            REMOVE_TIMEOUT_MS);
        if (!removed.isTrue("ok")) {
            throw new IllegalStateException("cannot remove " + name + ": " + removed.get("error", "?"));
        }
    }

    private static ProtocolLine putCommand(SweepPoint point, String name, Path modelFile) {
        return ProtocolLine.of("put", "path", modelFile, "name", name, "placement", point.placement(),
            "store", point.store().label(), "parallelism", point.storeParallelism(), "replicas", point.replicas());
    }

    private static ProtocolLine loadCommand(SweepPoint point, Stored stored, Path modelFile) {
        return ProtocolLine.of("load", "name", stored.name(), "strategy", point.load().label(),
            "parallelism", point.loadParallelism(), "source", modelFile);
    }

    private void loadRound(SimCluster cluster, SweepPoint point, int number, int round, Stored stored,
                           Path modelFile) throws Exception {
        boolean withFaults = round == 1 && scenarioCase.hasFaults();
        LoadRound loadRound = new LoadRound(cluster, meter, withFaults ? scenarioCase.faults() : List.of(),
            scenarioCase.checks().within().toMillis());
        LoadRound.Outcome outcome = loadRound.run(loadCommand(point, stored, modelFile));

        Measurement measurement = measurement(cluster, point, number, round, stored, outcome, withFaults);
        measurements.add(measurement);
        for (LoadRound.FaultState state : outcome.faults()) {
            faultRecords.add(new FaultRecord(scenarioCase.name(), number, state.fault, state.isApplied,
                state.appliedAtSeconds, state.loadedFraction, state.detail));
            print("point %d: %s: %s", number, state.fault.describe(), state.isApplied
                ? String.format(Locale.ROOT, "done at %.2f s%s; %s", state.appliedAtSeconds,
                    Double.isNaN(state.loadedFraction) ? ""
                        : String.format(Locale.ROOT, " with %.0f%% loaded", state.loadedFraction * 100),
                    state.detail)
                : state.detail);
        }
        print("point %d: load %s round %d: %s", number, label(point.load(), point.loadParallelism()), round,
            measurement.isCompleted()
                ? String.format(Locale.ROOT, "%.3f s (%.0f MB/s)%s", measurement.seconds(),
                    measurement.megabytesPerSecond(), measurement.isIdentical() ? ", identical bytes"
                        : ", BYTES DIFFER")
                : String.format(Locale.ROOT, "failed after %.2f s: %s", measurement.seconds(), measurement.error()));
    }

    private Measurement measurement(SimCluster cluster, SweepPoint point, int number, int round, Stored stored,
                                    LoadRound.Outcome outcome, boolean withFaults) {
        double seconds = 0;
        double transferSeconds = 0;
        boolean isCompleted = true;
        boolean isIdentical = true;
        String error = "";
        int inFlight = 0;
        for (int i = 0; i < outcome.results().size(); i++) {
            ProtocolLine result = outcome.results().get(i);
            boolean isOk = result.isTrue("ok");
            seconds = Math.max(seconds, result.getDouble("seconds"));
            transferSeconds = Math.max(transferSeconds, isOk ? result.getDouble("transfer-seconds")
                : result.getDouble("seconds"));
            if (isOk) {
                isIdentical &= result.isTrue("identical");
                inFlight = inFlight == 0 ? (int) result.getLong("parallelism") : inFlight;
            } else if (isCompleted) {
                isCompleted = false;
                error = (outcome.results().size() > 1 ? "client-" + (i + 1) + ": " : "") + result.get("error", "?");
            }
        }
        double heldSeconds = outcome.results().getFirst().findDouble("held-seconds").orElse(0);
        int requests = TimeModel.loadRequests(stored.chunks(), point.load().inFlight(point.loadParallelism(),
            stored.chunks()), batchChunks);
        return new Measurement(scenarioCase.name(), number, "load", round, scenarioCase.model().label(),
            point.placement(), point.load(), point.loadParallelism(), inFlight, point.nodes(), point.replicas(),
            point.chunkSizeBytes(), outcome.results().size(), stored.bytes(), stored.chunks(), requests, seconds,
            transferSeconds, heldSeconds, isCompleted, isIdentical, error, withFaults,
            byRole(cluster, outcome.usage()));
    }

    private static Map<String, ProcessMeter.Usage> byRole(SimCluster cluster,
                                                          Map<ChildProcess, ProcessMeter.Usage> usage) {
        Map<ChildProcess, String> roles = cluster.roles();
        Map<String, ProcessMeter.Usage> byRole = new LinkedHashMap<>();
        usage.forEach((process, used) -> {
            String role = roles.get(process);
            if (role != null) {
                byRole.put(role, used);
            }
        });
        return byRole;
    }

    private void fail(String error) {
        errors.add(error);
        print("FAILED: %s", error);
        LOG.warn("Case failed [case={}, error={}]", scenarioCase.name(), error);
    }

    private void print(String format, Object... arguments) {
        out.println("case " + scenarioCase.name() + ": " + String.format(Locale.ROOT, format, arguments));
    }

    static String label(TransferStrategy strategy, int parallelism) {
        return strategy.label() + (parallelism > 0 ? " P=" + parallelism : "");
    }

    static String describeBytes(long bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** @return every put and load round measured, in order */
    List<Measurement> measurements() {
        return List.copyOf(measurements);
    }

    /** @return every fault, in order */
    List<FaultRecord> faults() {
        return List.copyOf(faultRecords);
    }

    /** @return the case's checks, evaluated on what it measured */
    List<CheckResult> checks() {
        return new CaseChecks(scenarioCase, measurements, faultRecords, errors, survivors).evaluate();
    }
}
