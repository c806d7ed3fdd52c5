package io.modelcache.sim.scenario;

import io.modelcache.node.TransferStrategy;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * The run's plots, drawn with XChart into PNG files:
 *
 * <ul>
 *   <li>{@code load-vs-p-MODEL.png} and {@code store-vs-p-MODEL.png}, for each case whose points vary in strategy or
 *       P: seconds against P (log 2 scale) for each strategy, bounded as measured points, serial and parallel (which
 *       take no P) as flat lines across the range; the time model's prediction drawn dashed in the same colour over
 *       each;</li>
 *   <li>{@code load-vs-nodes-MODEL.png} and {@code store-vs-nodes-MODEL.png}, when the node count varies: seconds
 *       against data nodes for each strategy and P, with the prediction;</li>
 *   <li>{@code faults.png}: the seconds of each point's load round with faults, completed or failed.</li>
 * </ul>
 *
 * Measurements are medians over rounds of one client, outside cases with faults; a load's seconds are its transfer
 * seconds, the time the model describes. A file's name gets the case's name when several cases plot one model, and
 * the nodes, replicas, chunk size and placement when one case plots several such groups.
 */
final class SimPlots {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;
    private static final Map<TransferStrategy, Color> COLORS = Map.of(
        TransferStrategy.SERIAL, new Color(0xD6, 0x27, 0x28),
        TransferStrategy.PARALLEL, new Color(0x1F, 0x77, 0xB4),
        TransferStrategy.BOUNDED, new Color(0x2C, 0xA0, 0x2C));
    private static final Color[] PALETTE = {new Color(0x2C, 0xA0, 0x2C), new Color(0x1F, 0x77, 0xB4),
        new Color(0xD6, 0x27, 0x28), new Color(0x94, 0x67, 0xBD), new Color(0xFF, 0x7F, 0x0E),
        new Color(0x8C, 0x56, 0x4B)};

    private final Path directory;
    private final Predictions predictions;
    private final List<String> files = new ArrayList<>();

    /** Points of one case's operation on one model, cluster and layout; P and strategy vary inside. */
    private record Group(String caseName, String operation, String model, int nodes, int replicas,
                         long chunkSizeBytes, String placement) {
        String suffix() {
            return String.format(Locale.ROOT, "-%dnodes-r%d-%s-%s", nodes, replicas,
                CaseRun.describeBytes(chunkSizeBytes).replace(" ", "").toLowerCase(Locale.ROOT), placement);
        }

        /** @return {@code load} or {@code store}, as file names and titles say it */
        String verb() {
            return operation.equals("load") ? "load" : "store";
        }
    }

    /** One point's median. */
    private record Point(Measurement first, double seconds) {
    }

    private SimPlots(Path directory, Predictions predictions) {
        this.directory = directory;
        this.predictions = predictions;
    }

    /**
     * Draws every plot the measurements allow.
     *
     * @return the file names written, in order
     * @throws IOException when a file cannot be written
     */
    static List<String> write(Path directory, List<Measurement> measurements, Predictions predictions,
                              Set<String> faultCases) throws IOException {
        System.setProperty("java.awt.headless", "true");
        SimPlots plots = new SimPlots(directory, predictions);
        Map<Group, List<Point>> groups = plots.medians(measurements, faultCases);
        plots.drawAgainstParallelism(groups);
        plots.drawAgainstNodes(groups);
        plots.drawFaults(measurements);
        return List.copyOf(plots.files);
    }

    private Map<Group, List<Point>> medians(List<Measurement> measurements, Set<String> faultCases) {
        Map<String, List<Measurement>> rounds = new LinkedHashMap<>();
        for (Measurement m : measurements) {
            if (m.isCompleted() && m.clients() == 1 && !(m.isLoad() && faultCases.contains(m.caseName()))) {
                rounds.computeIfAbsent(m.caseName() + "/" + m.point() + "/" + m.operation(), key -> new ArrayList<>())
                    .add(m);
            }
        }
        Map<Group, List<Point>> groups = new LinkedHashMap<>();
        for (List<Measurement> point : rounds.values()) {
            Measurement first = point.getFirst();
            Group group = new Group(first.caseName(), first.operation(), first.model(), first.nodes(),
                first.replicas(), first.chunkSizeBytes(), first.placement());
            double[] seconds = point.stream().mapToDouble(Predictions::measuredSeconds).toArray();
            groups.computeIfAbsent(group, key -> new ArrayList<>()).add(new Point(first, SimReport.median(seconds)));
        }
        return groups;
    }

    private void drawAgainstParallelism(Map<Group, List<Point>> groups) throws IOException {
        for (Map.Entry<Group, List<Point>> entry : groups.entrySet()) {
            Group group = entry.getKey();
            List<Point> points = entry.getValue();
            if (!isPlotted(points)) {
                continue;
            }
            TreeSet<Integer> parallelisms = new TreeSet<>();
            Set<TransferStrategy> strategies = new TreeSet<>();
            for (Point point : points) {
                strategies.add(point.first().strategy());
                if (point.first().strategy() == TransferStrategy.BOUNDED) {
                    parallelisms.add(point.first().parallelism());
                }
            }
            // Serial is bounded at P=1; flat lines span from there to the largest P measured.
            double low = 1;
            double high = parallelisms.isEmpty() ? 32 : Math.max(2, parallelisms.last());
            XYChart chart = chart(String.format(Locale.ROOT, "%s of %s on %d node%s, R=%d, %s chunks, %s placement",
                    group.operation().equals("load") ? "Load" : "Store", group.model(), group.nodes(),
                    group.nodes() == 1 ? "" : "s", group.replicas(), CaseRun.describeBytes(group.chunkSizeBytes()),
                    group.placement()),
                "P (log 2 scale; serial and parallel take no P)", secondsTitle(group.operation()));
            chart.getStyler().setxAxisTickLabelsFormattingFunction(SimPlots::powerOfTwoLabel);
            // XChart places the x axis's ticks at the first series' values: bounded, with every P, goes first.
            addStrategy(chart, TransferStrategy.BOUNDED, points, low, high);
            for (TransferStrategy strategy : strategies) {
                if (strategy != TransferStrategy.BOUNDED) {
                    addStrategy(chart, strategy, points, low, high);
                }
            }
            save(chart, fileName(groups, group));
        }
    }

    /** @return whether the points vary in strategy or in P, so that a plot against P shows something */
    private static boolean isPlotted(List<Point> points) {
        long strategies = points.stream().map(point -> point.first().strategy()).distinct().count();
        long parallelisms = points.stream().filter(point -> point.first().strategy() == TransferStrategy.BOUNDED)
            .map(point -> point.first().parallelism()).distinct().count();
        return strategies > 1 || parallelisms > 1;
    }

    private void addStrategy(XYChart chart, TransferStrategy strategy, List<Point> points, double low, double high) {
        List<Double> xs = new ArrayList<>();
        List<Double> measured = new ArrayList<>();
        List<Double> predicted = new ArrayList<>();
        for (Point point : points) {
            if (point.first().strategy() != strategy) {
                continue;
            }
            OptionalDouble prediction = predictions.predictedSeconds(point.first());
            if (strategy == TransferStrategy.BOUNDED) {
                xs.add(log2(point.first().parallelism()));
                measured.add(point.seconds());
                predicted.add(prediction.orElse(Double.NaN));
            } else {
                xs.addAll(List.of(log2(low), log2(high)));
                measured.addAll(List.of(point.seconds(), point.seconds()));
                predicted.addAll(List.of(prediction.orElse(Double.NaN), prediction.orElse(Double.NaN)));
                break;
            }
        }
        if (xs.isEmpty()) {
            return;
        }
        Color color = COLORS.get(strategy);
        style(chart.addSeries(strategy.label() + " measured", xs, measured), color, false,
            strategy == TransferStrategy.BOUNDED);
        if (predicted.stream().noneMatch(value -> value.isNaN())) {
            style(chart.addSeries(strategy.label() + " time model", xs, predicted), color, true, false);
        }
    }

    private static void style(XYSeries series, Color color, boolean isDashed, boolean hasMarkers) {
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setMarker(hasMarkers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        if (isDashed) {
            series.setLineStyle(SeriesLines.DASH_DASH);
        }
    }

    private void drawAgainstNodes(Map<Group, List<Point>> groups) throws IOException {
        Map<String, Map<String, List<Point>>> byModel = new LinkedHashMap<>();
        for (Map.Entry<Group, List<Point>> entry : groups.entrySet()) {
            Group group = entry.getKey();
            String key = group.verb() + "/" + group.model();
            for (Point point : entry.getValue()) {
                String series = CaseRun.label(point.first().strategy(), point.first().parallelism())
                    + String.format(Locale.ROOT, " R=%d", group.replicas());
                byModel.computeIfAbsent(key, k -> new LinkedHashMap<>())
                    .computeIfAbsent(series, k -> new ArrayList<>()).add(point);
            }
        }
        for (Map.Entry<String, Map<String, List<Point>>> model : byModel.entrySet()) {
            boolean isVarying = model.getValue().values().stream()
                .anyMatch(points -> points.stream().map(p -> p.first().nodes()).distinct().count() > 1);
            if (!isVarying) {
                continue;
            }
            String operation = model.getKey().substring(0, model.getKey().indexOf('/'));
            String modelName = model.getKey().substring(operation.length() + 1);
            XYChart chart = chart((operation.equals("load") ? "Load" : "Store") + " of " + modelName
                + " against the number of data nodes", "data nodes", secondsTitle(operation));
            int colour = 0;
            for (Map.Entry<String, List<Point>> series : model.getValue().entrySet()) {
                addNodeSeries(chart, series.getKey(), series.getValue(), PALETTE[colour++ % PALETTE.length]);
            }
            save(chart, operation + "-vs-nodes-" + modelName);
        }
    }

    private void addNodeSeries(XYChart chart, String name, List<Point> points, Color color) {
        List<Point> sorted = points.stream().sorted((a, b) -> Integer.compare(a.first().nodes(), b.first().nodes()))
            .toList();
        List<Double> xs = sorted.stream().map(p -> (double) p.first().nodes()).toList();
        List<Double> measured = sorted.stream().map(Point::seconds).toList();
        List<Double> predicted = sorted.stream().map(p -> predictions.predictedSeconds(p.first()).orElse(Double.NaN))
            .toList();
        style(chart.addSeries(name + " measured", xs, measured), color, false, true);
        if (predicted.stream().noneMatch(value -> value.isNaN())) {
            style(chart.addSeries(name + " time model", xs, predicted), color, true, false);
        }
    }

    private void drawFaults(List<Measurement> measurements) throws IOException {
        List<String> categories = new ArrayList<>();
        List<Double> completed = new ArrayList<>();
        List<Double> failed = new ArrayList<>();
        for (Measurement m : measurements) {
            if (m.isLoad() && m.withFaults()) {
                categories.add(m.caseName() + (m.point() > 1 ? " #" + m.point() : ""));
                completed.add(m.isCompleted() ? m.seconds() : 0);
                failed.add(m.isCompleted() ? 0 : m.seconds());
            }
        }
        if (categories.isEmpty()) {
            return;
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
            .title("Loads during faults: seconds until the load completed or failed")
            .xAxisTitle("case").yAxisTitle("seconds (whole load, hold for the fault included)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.addSeries("completed", categories, completed).setFillColor(COLORS.get(TransferStrategy.BOUNDED));
        chart.addSeries("failed", categories, failed).setFillColor(COLORS.get(TransferStrategy.SERIAL));
        String name = "faults.png";
        BitmapEncoder.saveBitmap(chart, directory.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
        files.add(name);
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
            .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        return chart;
    }

    private void save(XYChart chart, String name) throws IOException {
        String file = name + ".png";
        BitmapEncoder.saveBitmap(chart, directory.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
        files.add(file);
    }

    /**
     * @return {@code load-vs-p-MODEL}, with the case's name when another case plots the same operation and model,
     *     and the cluster and layout when the case plots several
     */
    private String fileName(Map<Group, List<Point>> groups, Group group) {
        String name = group.verb() + "-vs-p-" + group.model();
        long sameModel = groups.keySet().stream().filter(other -> other.operation().equals(group.operation())
            && other.model().equals(group.model()) && isPlotted(groups.get(other))).count();
        long sameCase = groups.keySet().stream().filter(other -> other.operation().equals(group.operation())
            && other.model().equals(group.model()) && other.caseName().equals(group.caseName())
            && isPlotted(groups.get(other))).count();
        if (sameModel > sameCase) {
            name += "-" + group.caseName();
        }
        return sameCase > 1 ? name + group.suffix() : name;
    }

    private static String secondsTitle(String operation) {
        return operation.equals("load") ? "transfer seconds (median)" : "put seconds (median)";
    }

    private static double log2(double value) {
        return Math.log(value) / Math.log(2);
    }

    private static String powerOfTwoLabel(Double exponent) {
        double rounded = Math.rint(Objects.requireNonNull(exponent));
        return Math.abs(exponent - rounded) < 1e-6 ? Long.toString(Math.round(Math.pow(2, rounded))) : "";
    }
}
