package io.modelcache.sim.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;

/** The bench's results as a table, a CSV file and a PNG bar chart; the same columns in each. */
public final class BenchReport {
    /** The CSV's header line. */
    public static final String CSV_HEADER = "system,clients,mb_per_s,runs,ratio_to_modelcache";

    private BenchReport() {
    }

    /** @return the table, one line per row, with a header; ratios are to modelcache at the same client count */
    public static String table(List<BenchRow> rows) {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-17s %7s %9s %5s %20s%n", "system",
            "clients", "MB/s", "runs", "ratio to modelcache"));
        for (BenchRow row : rows) {
            OptionalDouble ratio = ratio(rows, row);
            table.append(String.format(Locale.ROOT, "%-17s %7d %9.0f %5d %20s%n", row.system(), row.clients(),
                row.megabytesPerSecond(), row.runs(),
                ratio.isPresent() ? String.format(Locale.ROOT, "%.2f", ratio.getAsDouble()) : "-"));
        }
        return table.toString();
    }

    /** Writes the rows as CSV (header {@link #CSV_HEADER}); a ratio without a modelcache row is left empty. */
    public static void writeCsv(Path file, List<BenchRow> rows) throws IOException {
        List<String> lines = new ArrayList<>(List.of(CSV_HEADER));
        for (BenchRow row : rows) {
            OptionalDouble ratio = ratio(rows, row);
            lines.add(String.format(Locale.ROOT, "%s,%d,%.1f,%d,%s", row.system(), row.clients(),
                row.megabytesPerSecond(), row.runs(),
                ratio.isPresent() ? String.format(Locale.ROOT, "%.3f", ratio.getAsDouble()) : ""));
        }
        Files.write(file, lines);
    }

    /**
     * Writes a bar chart grouped by client count, one bar per system.
     *
     * @param file the PNG to write; it should end in {@code .png}
     */
    public static void writeChart(Path file, List<BenchRow> rows, BenchSettings settings) throws IOException {
        if (rows.isEmpty()) {
            return;
        }
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(560)
            .title(String.format(Locale.ROOT, "Read throughput of %s in values of %s (median of %d run%s)",
                Sizes.describe(settings.sizeBytes()), Sizes.describe(settings.valueSizeBytes()), settings.runs(),
                settings.runs() == 1 ? "" : "s"))
            .xAxisTitle("concurrent clients").yAxisTitle("MB/s (10^6 bytes/s)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setDecimalPattern("#");
        List<Integer> clientCounts = rows.stream().map(BenchRow::clients).distinct().sorted().toList();
        List<String> groups = clientCounts.stream().map(c -> c == 1 ? "1 client" : c + " clients").toList();
        Set<String> systems = new LinkedHashSet<>(rows.stream().map(BenchRow::system).toList());
        for (String system : systems) {
            List<Double> megabytesPerSecond = new ArrayList<>();
            for (int clients : clientCounts) {
                megabytesPerSecond.add(rows.stream().filter(r -> r.system().equals(system) && r.clients() == clients)
                    .mapToDouble(BenchRow::megabytesPerSecond).findFirst().orElse(0));
            }
            chart.addSeries(system, groups, megabytesPerSecond);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static OptionalDouble ratio(List<BenchRow> rows, BenchRow row) {
        return rows.stream()
            .filter(r -> r.system().equals(Systems.REFERENCE) && r.clients() == row.clients())
            .filter(r -> r.megabytesPerSecond() > 0)
            .mapToDouble(r -> row.megabytesPerSecond() / r.megabytesPerSecond()).findFirst();
    }
}
