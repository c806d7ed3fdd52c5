package io.modelcache.sim.bench;

import io.modelcache.node.Failures;
import io.modelcache.sim.process.Workspace;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the bench: generates the values once, then for each system in turn sets it up, measures every client
 * count (warm-ups, the first checked byte for byte, then the measured runs, median reported) and tears it
 * down before the next, so that no two systems compete for the two cores or the memory. A system that is
 * unavailable is reported and skipped; one that fails is reported and the bench goes on with the next.
 *
 * <p>Every client reads every value once per run into its own off-heap memory, so N clients move N times the
 * bytes and the aggregate MB/s is N × size / wall time; this models N inference replicas starting at once.
 *
 * <p>Around the measured runs it also counts the heap the bench's JVM allocates (the client side of every
 * system): {@code com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes}, summed over all threads
 * including those that ended during the runs. Nothing else runs in the JVM then, so it is the clients' cost.
 */
public final class Bench {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Bench() {
    }

    /**
     * Runs the bench and writes {@code bench.csv}, {@code bench.png} and the processes' logs into the settings'
     * out directory.
     *
     * @param out where progress, the table and the notes are printed
     * @return the rows, the unavailable and failed systems and the notes
     * @throws IOException when the out directory or the results cannot be written
     * @throws InterruptedException if interrupted; every process started so far is stopped first
     */
    public static BenchResult run(BenchSettings settings, PrintStream out) throws IOException, InterruptedException {
        Files.createDirectories(settings.outDirectory());
        List<BenchRow> rows = new ArrayList<>();
        Map<String, String> unavailable = new LinkedHashMap<>();
        Map<String, String> failed = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        out.printf("bench: %s in values of %s, clients %s, %d runs after %d warm-ups, systems %s%n",
            Sizes.describe(settings.sizeBytes()), Sizes.describe(settings.valueSizeBytes()),
            settings.clientCounts(), settings.runs(), settings.warmUps(), String.join(", ", settings.systems()));

        try (Workspace workspace = Workspace.create(settings.outDirectory().resolve("logs"));
             Arena arena = Arena.ofShared()) {
            ValueSet values = ValueSet.generate(arena, settings.sizeBytes(), settings.valueSizeBytes(),
                settings.randomSeed());
            for (String name : settings.systems()) {
                BenchSystem system = Systems.create(name, settings, workspace, out);
                Optional<String> reason = system.unavailableReason();
                if (reason.isPresent()) {
                    unavailable.put(name, reason.get());
                    out.printf(Locale.ROOT, "%s: unavailable, skipped: %s%n", name, reason.get());
                    continue;
                }
                try {
                    List<String> heapNotes = new ArrayList<>();
                    rows.addAll(measure(system, values, settings, out, heapNotes));
                    notes.addAll(system.notes());
                    notes.addAll(heapNotes);
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    failed.put(name, Failures.describe(e));
                    out.printf("%s: failed: %s%n", name, Failures.describe(e));
                } finally {
                    tearDown(system, out);
                }
            }
        }
        return report(settings, out, new BenchResult(rows, unavailable, failed, notes, settings.outDirectory()));
    }

    private static List<BenchRow> measure(BenchSystem system, ValueSet values, BenchSettings settings,
                                          PrintStream out, List<String> notes) throws Exception {
        long setUpStartNs = System.nanoTime();
        system.setUp(values);
        out.printf(Locale.ROOT, "%s: set up and stored %d values in %.1f s%n", system.name(), values.valueCount(),
            (System.nanoTime() - setUpStartNs) / 1e9);
        List<BenchRow> rows = new ArrayList<>();
        long allocatedBytes = 0;
        long readBytes = 0;
        for (int clients : settings.clientCounts()) {
            system.warmUp(clients);
            for (int warmUp = 1; warmUp < settings.warmUps(); warmUp++) {
                system.measure(clients);
            }
            double[] megabytesPerSecond = new double[settings.runs()];
            long allocatedBeforeBytes = THREADS.getTotalThreadAllocatedBytes();
            for (int run = 0; run < settings.runs(); run++) {
                megabytesPerSecond[run] = system.measure(clients);
            }
            allocatedBytes += THREADS.getTotalThreadAllocatedBytes() - allocatedBeforeBytes;
            readBytes += (long) settings.runs() * clients * values.sizeBytes();
            BenchRow row = new BenchRow(system.name(), clients, median(megabytesPerSecond), settings.runs());
            out.printf(Locale.ROOT, "%s: %d client%s: %.0f MB/s (runs: %s)%n", system.name(), clients,
                clients == 1 ? "" : "s", row.megabytesPerSecond(), describeRuns(megabytesPerSecond));
            rows.add(row);
        }
        notes.add(String.format(Locale.ROOT, "%s: bench JVM heap allocated %.1f MiB per GiB read", system.name(),
            allocatedBytes / (double) (1 << 20) / (readBytes / (double) (1L << 30))));
        return rows;
    }

    private static void tearDown(BenchSystem system, PrintStream out) {
        try {
            system.tearDown();
        } catch (RuntimeException e) {
            // The workspace still stops every process and deletes every file when it closes.
            out.printf("%s: tear-down failed: %s%n", system.name(), Failures.describe(e));
        }
    }

    /** @return the median; the mean of the middle two for an even count */
    static double median(double[] samples) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static String describeRuns(double[] megabytesPerSecond) {
        List<String> runs = new ArrayList<>();
        for (double run : megabytesPerSecond) {
            runs.add(String.format(Locale.ROOT, "%.0f", run));
        }
        return String.join(" ", runs);
    }

    private static BenchResult report(BenchSettings settings, PrintStream out, BenchResult result)
        throws IOException {
        out.println();
        out.print(BenchReport.table(result.rows()));
        out.println();
        String runs = settings.runs() == 1 ? "1 run" : settings.runs() + " runs";
        int warmUps = settings.warmUps();
        out.println("MB/s = 10^6 bytes/s of reads, median of " + runs + " after " + warmUps + " warm-up"
            + (warmUps == 1 ? "" : "s") + ", the first's bytes checked "
            + "against the source; each of N clients reads all " + Sizes.describe(settings.sizeBytes())
            + " into its own off-heap memory; MB/s is the aggregate (N × bytes / wall time)");
        out.println("heap allocated: bytes allocated by all threads of the bench's JVM (the clients) during the "
            + "measured runs, from ThreadMXBean#getTotalThreadAllocatedBytes, per GiB read");
        for (String note : result.notes()) {
            out.println(note);
        }
        result.unavailable().forEach((system, reason) -> out.println(system + ": unavailable: " + reason));
        result.failed().forEach((system, reason) -> out.println(system + ": FAILED: " + reason));

        BenchReport.writeCsv(settings.outDirectory().resolve("bench.csv"), result.rows());
        try {
            BenchReport.writeChart(settings.outDirectory().resolve("bench.png"), result.rows(), settings);
        } catch (IOException | RuntimeException | Error e) {
            // A machine without fonts or AWT libraries cannot draw; the table and CSV are the results.
            out.println("chart not written: " + Failures.describe(e));
        }
        out.println("results: " + settings.outDirectory().resolve("bench.csv") + ", "
            + settings.outDirectory().resolve("bench.png") + "; process logs in "
            + settings.outDirectory().resolve("logs"));
        return result;
    }
}
