package io.modelcache.sim.scenario;

import io.modelcache.node.TransferStrategy;
import io.modelcache.sim.process.ProcessMeter;
import io.modelcache.timing.TimeModel;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * A run's results as files: {@code results.csv} (one row per put and per load round, with the CPU and peak memory of
 * every process), {@code summary.md} (the medians per point beside the time model's prediction and the textbook
 * formulas, the faults, the time model's constants and its misses over 20%, the checks) and the plots of
 * {@link SimPlots}.
 */
final class SimReport {
    /** The CSV's columns before the per-process ones. */
    static final String CSV_HEADER = "scenario,case,point,operation,round,model,placement,strategy,parallelism,"
        + "in_flight,nodes,replicas,chunk_size_bytes,clients,bytes,moved_bytes,chunks,requests,seconds,"
        + "transfer_seconds,held_seconds,mb_per_s,outcome,identical,with_faults,predicted_seconds,error";
    private static final int MAX_ERROR_CHARS = 160;
    private static final int MAX_EVIDENCE_CHARS = 1_000;

    private final SimResult result;
    private final Predictions predictions;
    private final Set<String> faultCases;

    /** The rounds of one point's put or loads. */
    private record Row(Measurement first, List<Measurement> rounds) {
        List<Measurement> completed() {
            return rounds.stream().filter(Measurement::isCompleted).toList();
        }
    }

    private SimReport(SimResult result, Predictions predictions, Set<String> faultCases) {
        this.result = result;
        this.predictions = predictions;
        this.faultCases = faultCases;
    }

    /**
     * Writes the CSV, the summary and the plots into the result's folder.
     *
     * @return the summary, as written to {@code summary.md}, and the names of the files written
     * @throws IOException when a file cannot be written
     */
    static Written write(SimResult result, Set<String> faultCases) throws IOException {
        Predictions predictions = Predictions.fit(result.measurements(), faultCases);
        SimReport report = new SimReport(result, predictions, faultCases);
        List<String> files = new ArrayList<>(List.of("results.csv", "summary.md"));
        Files.write(result.outDirectory().resolve("results.csv"), report.csv());
        List<String> plots;
        String plotProblem = "";
        try {
            plots = SimPlots.write(result.outDirectory(), result.measurements(), predictions, faultCases);
        } catch (IOException | RuntimeException | Error e) {
            // A machine without fonts or AWT libraries cannot draw; the table and CSV are the results.
            plots = List.of();
            plotProblem = "plots not drawn: " + e;
        }
        files.addAll(plots);
        String summary = report.summary(plots, plotProblem);
        Files.writeString(result.outDirectory().resolve("summary.md"), summary);
        return new Written(summary, files);
    }

    /**
     * What {@link #write} wrote.
     *
     * @param summary the Markdown summary
     * @param files the files' names in the results folder
     */
    record Written(String summary, List<String> files) {
    }

    // CSV.

    private List<String> csv() {
        List<String> roles = roles();
        StringBuilder header = new StringBuilder(CSV_HEADER);
        for (String role : roles) {
            header.append(',').append(role).append("_cpu_s,").append(role).append("_peak_mib");
        }
        List<String> lines = new ArrayList<>(List.of(header.toString()));
        for (Measurement m : result.measurements()) {
            OptionalDouble predicted = predictions.predictedSeconds(m);
            StringBuilder line = new StringBuilder();
            line.append(String.join(",", csvField(result.scenario().name()), csvField(m.caseName()),
                Integer.toString(m.point()), m.operation(), Integer.toString(m.round()), csvField(m.model()),
                m.placement(), m.strategy().label(), Integer.toString(m.parallelism()), Integer.toString(m.inFlight()),
                Integer.toString(m.nodes()), Integer.toString(m.replicas()), Long.toString(m.chunkSizeBytes()),
                Integer.toString(m.clients()), Long.toString(m.modelBytes()), Long.toString(m.movedBytes()),
                Integer.toString(m.chunks()), Integer.toString(m.requests()), number(m.seconds(), 4),
                number(m.transferSeconds(), 4), number(m.heldSeconds(), 4), number(m.megabytesPerSecond(), 1),
                m.isCompleted() ? "completed" : "failed", Boolean.toString(m.isIdentical()),
                Boolean.toString(m.withFaults()), predicted.isPresent() ? number(predicted.getAsDouble(), 4) : "",
                csvField(m.error())));
            for (String role : roles) {
                ProcessMeter.Usage usage = m.usageByProcess().get(role);
                line.append(',').append(usage == null ? "" : number(usage.cpuSeconds(), 2)).append(',')
                    .append(usage == null ? "" : number(usage.peakRssBytes() / (double) (1 << 20), 1));
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** @return every process role seen, nodes first, each in number order */
    private List<String> roles() {
        Set<String> roles = new TreeSet<>((a, b) -> {
            int byKind = Boolean.compare(a.startsWith("client"), b.startsWith("client"));
            return byKind != 0 ? byKind : Integer.compare(number(a), number(b));
        });
        for (Measurement m : result.measurements()) {
            roles.addAll(m.usageByProcess().keySet());
        }
        return new ArrayList<>(roles);
    }

    private static int number(String role) {
        return Integer.parseInt(role.substring(role.lastIndexOf('-') + 1));
    }

    private static String csvField(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static String number(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    // Summary.

    private String summary(List<String> plots, String plotProblem) {
        Scenario scenario = result.scenario();
        StringBuilder text = new StringBuilder("# Scenario " + scenario.name() + "\n\n");
        if (!scenario.description().isEmpty()) {
            text.append(scenario.description()).append("\n\n");
        }
        text.append("From `").append(scenario.source()).append("`; results in `").append(result.outDirectory())
            .append("`.\n\n");
        List<Row> rows = rows();
        text.append(rows.isEmpty() ? "## Measurements\n\nNone.\n\n" : measurementTable(rows));
        text.append(faultTable());
        text.append(timeModel(rows));
        text.append(checkTable());
        text.append("## Files\n\n- `results.csv`: one row per put and per load round, with CPU seconds and peak "
            + "resident memory (MiB) of every process over it\n");
        for (String plot : plots) {
            text.append("- `").append(plot).append("`\n");
        }
        if (!plotProblem.isEmpty()) {
            text.append("- ").append(plotProblem).append('\n');
        }
        text.append("- `logs/`: every process's output\n");
        return text.toString();
    }

    private List<Row> rows() {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (Measurement m : result.measurements()) {
            rows.computeIfAbsent(m.caseName() + "/" + m.point() + "/" + m.operation(),
                key -> new Row(m, new ArrayList<>())).rounds().add(m);
        }
        return new ArrayList<>(rows.values());
    }

    private String measurementTable(List<Row> rows) {
        boolean hasClients = result.measurements().stream().anyMatch(m -> m.clients() > 1);
        boolean hasPlacements = result.measurements().stream().map(Measurement::placement).distinct().count() > 1;
        StringBuilder table = new StringBuilder("## Measurements\n\n");
        table.append("| case | pt | op | model | strategy |").append(hasPlacements ? " placement |" : "")
            .append(" nodes | R | chunk |").append(hasClients ? " clients |" : "")
            .append(" rounds | s | MB/s | transfer s | model s | miss | textbook s | CPU s nodes+clients "
                + "| peak MiB node/client | outcome |\n");
        table.append("|---|---:|---|---|---|").append(hasPlacements ? "---|" : "").append("---:|---:|---:|")
            .append(hasClients ? "---:|" : "").append("---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row row : rows) {
            Measurement m = row.first();
            List<Measurement> completed = row.completed();
            List<Measurement> basis = completed.isEmpty() ? row.rounds() : completed;
            double seconds = median(basis.stream().mapToDouble(Measurement::seconds).toArray());
            double compared = median(basis.stream().mapToDouble(Predictions::measuredSeconds).toArray());
            OptionalDouble predicted = completed.isEmpty() ? OptionalDouble.empty() : predictions.predictedSeconds(m);
            OptionalDouble textbook = completed.isEmpty() ? OptionalDouble.empty() : textbook(m, rows);
            table.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s |", m.caseName(), m.point(),
                m.operation(), m.model(), m.strategyLabel()));
            if (hasPlacements) {
                table.append(' ').append(m.placement()).append(" |");
            }
            table.append(String.format(Locale.ROOT, " %d | %d | %s |", m.nodes(), m.replicas(),
                CaseRun.describeBytes(m.chunkSizeBytes())));
            if (hasClients) {
                table.append(' ').append(m.clients()).append(" |");
            }
            table.append(String.format(Locale.ROOT, " %d | %.3f | %s | %.3f | %s | %s | %s | %s | %s | %s |%n",
                row.rounds().size(), seconds, completed.isEmpty() ? "-" : number(
                    median(completed.stream().mapToDouble(Measurement::megabytesPerSecond).toArray()), 0),
                compared, predicted.isPresent() ? number(predicted.getAsDouble(), 3) : "-",
                predicted.isPresent() ? miss(predicted.getAsDouble(), compared) : "-",
                textbook.isPresent() ? number(textbook.getAsDouble(), 3) : "-", cpu(row.rounds()),
                peaks(row.rounds()), outcome(row.rounds())));
        }
        table.append("\ns: the whole put or load (median of the rounds that completed; for loads the slowest client, "
            + "manifest lookup included, SHA-256 not asked). transfer s: for loads, first chunk request to last "
            + "chunk checked, a fault's hold taken out; what the time model (model s) describes and is fitted to. "
            + "miss: model s over transfer s, minus 1. textbook s: the formulas the design started from, with t one "
            + "chunk's time in the serial measurement of the same model, nodes and R: serial and parallel t·N, "
            + "bounded t·N/P. P: the bounded strategy's parallelism (serial and parallel take none). MB/s: 10^6 "
            + "bytes of model per second, added up over the clients. CPU: seconds of all nodes + all clients over "
            + "the operation (median of rounds); peak: the largest node's and client's resident memory over it.\n\n");
        return table.toString();
    }

    /**
     * The textbook formula of DESIGN.md for a point: t·N serial and parallel, t·N/P bounded, with t one chunk's time
     * measured serially on the same model, nodes, replicas and chunk size.
     */
    private OptionalDouble textbook(Measurement m, List<Row> rows) {
        for (Row row : rows) {
            Measurement serial = row.first();
            if (serial.strategy() == TransferStrategy.SERIAL && serial.operation().equals(m.operation())
                && serial.model().equals(m.model()) && serial.nodes() == m.nodes()
                && serial.replicas() == m.replicas() && serial.chunkSizeBytes() == m.chunkSizeBytes()
                && serial.clients() == 1 && m.clients() == 1 && !row.completed().isEmpty()
                && !(serial.isLoad() && faultCases.contains(serial.caseName()))) {
                double units = serial.chunks() * (serial.isLoad() ? 1.0 : serial.replicas());
                double perUnit = median(row.completed().stream().mapToDouble(Predictions::measuredSeconds)
                    .toArray()) / units;
                double all = perUnit * m.chunks() * (m.isLoad() ? 1 : m.replicas());
                return OptionalDouble.of(m.strategy() == TransferStrategy.BOUNDED ? all / m.parallelism() : all);
            }
        }
        return OptionalDouble.empty();
    }

    private static String miss(double predicted, double measured) {
        double miss = predicted / measured - 1;
        return String.format(Locale.ROOT, "%+.0f%%%s", miss * 100, Math.abs(miss) > Predictions.FLAGGED_MISS
            ? " **!**" : "");
    }

    private static String cpu(List<Measurement> rounds) {
        double[] nodes = new double[rounds.size()];
        double[] clients = new double[rounds.size()];
        for (int i = 0; i < rounds.size(); i++) {
            for (Map.Entry<String, ProcessMeter.Usage> usage : rounds.get(i).usageByProcess().entrySet()) {
                if (usage.getKey().startsWith("node")) {
                    nodes[i] += usage.getValue().cpuSeconds();
                } else {
                    clients[i] += usage.getValue().cpuSeconds();
                }
            }
        }
        return String.format(Locale.ROOT, "%.2f+%.2f", median(nodes), median(clients));
    }

    private static String peaks(List<Measurement> rounds) {
        long node = 0;
        long client = 0;
        for (Measurement m : rounds) {
            for (Map.Entry<String, ProcessMeter.Usage> usage : m.usageByProcess().entrySet()) {
                if (usage.getKey().startsWith("node")) {
                    node = Math.max(node, usage.getValue().peakRssBytes());
                } else {
                    client = Math.max(client, usage.getValue().peakRssBytes());
                }
            }
        }
        return (node >> 20) + "/" + (client >> 20);
    }

    private static String outcome(List<Measurement> rounds) {
        long completed = rounds.stream().filter(Measurement::isCompleted).count();
        long differing = rounds.stream().filter(m -> m.isCompleted() && !m.isIdentical()).count();
        String bytes = completed == 0 || !rounds.getFirst().isLoad() ? ""
            : differing == 0 ? ", bytes identical" : ", BYTES DIFFER in " + differing;
        if (completed == rounds.size()) {
            return "completed" + bytes;
        }
        String error = cell(rounds.stream().filter(m -> !m.isCompleted()).findFirst().orElseThrow().error());
        return completed == 0 ? "failed: " + error
            : completed + " completed" + bytes + ", " + (rounds.size() - completed) + " failed: " + error;
    }

    private String faultTable() {
        if (result.faults().isEmpty()) {
            return "";
        }
        StringBuilder table = new StringBuilder("## Faults\n\n| case | pt | R | fault | done | what followed "
            + "| load during it | load s | held s |\n|---|---:|---:|---|---|---|---|---:|---:|\n");
        for (FaultRecord fault : result.faults()) {
            Measurement load = result.measurements().stream().filter(m -> m.isLoad() && m.withFaults()
                && m.caseName().equals(fault.caseName()) && m.point() == fault.point()).findFirst().orElse(null);
            String done = !fault.isApplied() ? "no"
                : String.format(Locale.ROOT, "at %.2f s%s", fault.appliedAtSeconds(),
                    Double.isNaN(fault.loadedFraction()) ? ""
                        : String.format(Locale.ROOT, ", %.0f%% loaded", fault.loadedFraction() * 100));
            table.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s |%n",
                fault.caseName(), fault.point(), load == null ? "-" : Integer.toString(load.replicas()),
                fault.fault().describe(), done, cell(fault.detail()), load == null ? "-" : outcome(List.of(load)),
                load == null ? "-" : number(load.seconds(), 2), load == null ? "-" : number(load.heldSeconds(), 3)));
        }
        return table.append("\nload s: the whole load during the faults, until it completed or failed, the hold "
            + "included (held s: how long the client held its load at the fault's fraction while the fault was "
            + "done).\n\n").toString();
    }

    private String timeModel(List<Row> rows) {
        StringBuilder text = new StringBuilder("## Time model\n\n");
        for (boolean isLoad : new boolean[] {true, false}) {
            String what = isLoad ? "loads" : "stores";
            var model = predictions.model(isLoad);
            if (model.isEmpty()) {
                text.append("- ").append(what).append(": not fitted: fewer than ").append(Predictions.MIN_SHAPES)
                    .append(" measured shapes (strategy, P, nodes, bytes, requests) of one client without faults, the "
                        + "model's number of constants\n");
                continue;
            }
            double error = predictions.logError(isLoad);
            text.append(String.format(Locale.ROOT, "- %s: %s; fitted to %d measurements (%s), RMS of "
                    + "log(predicted/measured) %.2f, a typical miss of ±%.0f%%%n", what, describe(model.get()),
                predictions.observations(isLoad), isLoad ? "transfer seconds" : "put seconds", error,
                (Math.exp(error) - 1) * 100));
        }
        List<String> misses = new ArrayList<>();
        for (Row row : rows) {
            List<Measurement> completed = row.completed();
            OptionalDouble predicted = completed.isEmpty() ? OptionalDouble.empty()
                : predictions.predictedSeconds(row.first());
            if (predicted.isEmpty()) {
                continue;
            }
            double measured = median(completed.stream().mapToDouble(Predictions::measuredSeconds).toArray());
            double miss = predicted.getAsDouble() / measured - 1;
            if (Math.abs(miss) > Predictions.FLAGGED_MISS) {
                Measurement m = row.first();
                misses.add(String.format(Locale.ROOT, "- %s point %d, %s %s %s on %d nodes, R=%d: measured %.3f s, "
                        + "predicted %.3f s (%+.0f%%)", m.caseName(), m.point(), m.operation(), m.model(),
                    m.strategyLabel(), m.nodes(), m.replicas(), measured, predicted.getAsDouble(), miss * 100));
            }
        }
        if (predictions.model(true).isEmpty() && predictions.model(false).isEmpty()) {
            return text.append('\n').toString();
        }
        text.append("\nPrediction and measurement differ by more than ")
            .append(Math.round(Predictions.FLAGGED_MISS * 100)).append("% at ").append(misses.size())
            .append(misses.size() == 1 ? " point" : " points").append(misses.isEmpty() ? ".\n\n" : ":\n\n");
        for (String miss : misses) {
            text.append(miss).append('\n');
        }
        return text.append(misses.isEmpty() ? "" : "\n").toString();
    }

    private static String describe(TimeModel model) {
        return String.format(Locale.ROOT, "T0 = %.1f ms per transfer, L = %.2f ms per request, S = %s per stream, "
                + "N = %s per node, C = %s at the receiver", model.setupSeconds() * 1e3, model.latencySeconds() * 1e3,
            rate(model.streamBytesPerSecond()), rate(model.nodeBytesPerSecond()), rate(model.sinkBytesPerSecond()));
    }

    /** A fitted rate past 100 GB/s means the measurements never met that limit: the fit drifts, it did not find one. */
    private static String rate(double bytesPerSecond) {
        return bytesPerSecond > 100e9 ? "no limit found (fitted beyond 100 GB/s)"
            : String.format(Locale.ROOT, "%.0f MB/s", bytesPerSecond / 1e6);
    }

    private String checkTable() {
        StringBuilder table = new StringBuilder("## Checks\n\n| case | check | result | evidence |\n"
            + "|---|---|---|---|\n");
        for (CheckResult check : result.checks()) {
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", check.caseName(), check.check(),
                check.isPassed() ? "pass" : "**FAIL**", cell(check.detail(), MAX_EVIDENCE_CHARS)));
        }
        long failed = result.checks().stream().filter(check -> !check.isPassed()).count();
        return table.append('\n').append(failed == 0 ? "Every check passed." : failed + " check"
            + (failed == 1 ? "" : "s") + " FAILED.").append("\n\n").toString();
    }

    /** @return text fit for one table cell: pipes escaped, shortened to {@value #MAX_ERROR_CHARS} characters */
    private static String cell(String text) {
        return cell(text, MAX_ERROR_CHARS);
    }

    private static String cell(String text, int maxChars) {
        String shortened = text.length() <= maxChars ? text : text.substring(0, maxChars - 3) + "...";
        return shortened.replace("|", "\\|").replace("\n", " ");
    }

    /** @return the median; the mean of the middle two for an even count; NaN when empty */
    static double median(double[] samples) {
        if (samples.length == 0) {
            return Double.NaN;
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
