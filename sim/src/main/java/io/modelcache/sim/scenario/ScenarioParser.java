package io.modelcache.sim.scenario;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.modelcache.format.DType;
import io.modelcache.node.ModelCacheSettings;
import io.modelcache.node.TransferStrategy;
import io.modelcache.placement.Placement;
import io.modelcache.sim.bench.Sizes;
import io.modelcache.sim.scenario.Checks.ExpectedLoads;
import io.modelcache.sim.scenario.ModelSource.TensorGroup;
import io.modelcache.sim.scenario.ScenarioCase.ClientSettings;
import io.modelcache.sim.scenario.ScenarioCase.NodeSettings;
import io.modelcache.writer.PutRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a scenario from HOCON and refuses anything it would not run as written: an unknown key anywhere (a typo
 * must not silently take a default), a value of the wrong type, out of its range, or contradicting another (more
 * replicas than nodes, a fault on a node the cluster does not have). Every message names the file, the key as
 * written ({@code cases[1].sweep.replicas}), the value and the limit.
 *
 * <p>A case is its own object merged over the file's top level (HOCON's {@code withFallback}: objects merge key by
 * key, anything else is replaced), so the top level holds what cases share. A key is reported where it was written:
 * under the case when the case sets it, at the top level otherwise.
 */
public final class ScenarioParser {
    static final int MAX_NODES = 16;
    static final int MAX_CLIENTS = 16;
    static final int MAX_LOAD_ROUNDS = 1_000;
    static final long MIN_CHUNK_SIZE_BYTES = 64 << 10;
    /** Artery's large frame (4160 KiB in modelcache-pekko.conf) holds a chunk plus 64 KiB. */
    static final long MAX_CHUNK_SIZE_BYTES = 4 << 20;
    static final long MIN_SYNTHETIC_BYTES = 1 << 20;
    static final long MAX_SYNTHETIC_BYTES = 64L << 30;
    static final int MAX_TENSORS = 100_000;
    /** A synthetic tensor is rows of this many elements. */
    static final int ROW_ELEMENTS = 1024;
    static final long MIN_NODE_MEMORY_BYTES = 16 << 20;
    static final long MAX_NODE_MEMORY_BYTES = 1L << 40;
    static final long MIN_HEAP_BYTES = 64 << 20;
    static final long MAX_HEAP_BYTES = 64L << 30;
    static final Duration MAX_WITHIN = Duration.ofHours(24);
    static final Duration MIN_STOP = Duration.ofMillis(100);
    static final Duration MAX_STOP = Duration.ofMinutes(10);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9._:/@+-]+");
    private static final Set<String> TOP_KEYS = Set.of("name", "description", "nodes", "clients", "model", "sweep",
        "warm-up", "loads", "faults", "checks", "config", "cases");
    private static final Set<String> CASE_KEYS = Set.of("name", "nodes", "clients", "model", "sweep", "warm-up",
        "loads", "faults", "checks", "config");
    private static final Set<String> NODE_KEYS = Set.of("memory", "heap", "jvm-options");
    private static final Set<String> CLIENT_KEYS = Set.of("count", "heap", "jvm-options");
    private static final Set<String> SWEEP_KEYS = Set.of("placement", "store", "store-parallelism", "load",
        "load-parallelism", "nodes", "replicas", "chunk-size");
    private static final Set<String> CHECK_KEYS = Set.of("identical-bytes", "within", "no-process-left", "loads",
        "failure-contains");
    private static final Set<String> FAULT_KEYS = Set.of("action", "node", "at", "at-progress", "duration");
    private static final Set<String> SYNTHETIC_KEYS = Set.of("size", "tensors", "seed");
    private static final Set<String> TENSOR_KEYS = Set.of("dtype", "count", "share");
    /** Settings the sweep gives every member; the same key in {@code config} would be silently overridden. */
    private static final String SWEPT_MEMBER_KEY = "modelcache.chunk-size";

    private ScenarioParser() {
    }

    /**
     * Reads a scenario file.
     *
     * @throws InvalidScenarioException when the file is missing, not HOCON, or not a valid scenario, naming the key,
     *     the value and the limit
     */
    public static Scenario parse(Path file) {
        String label = file.getFileName() != null ? file.getFileName().toString() : file.toString();
        if (!Files.isRegularFile(file)) {
            throw new InvalidScenarioException("scenario file " + file.toAbsolutePath() + " does not exist");
        }
        Config root;
        try {
            root = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults()
                .setSyntax(ConfigSyntax.CONF).setAllowMissing(false)).resolve();
        } catch (ConfigException e) {
            throw new InvalidScenarioException("scenario " + label + ": not valid HOCON: " + e.getMessage());
        }
        return parse(label, file, root);
    }

    /**
     * Reads a scenario from HOCON text, as if read from a file named {@code label}.
     *
     * @throws InvalidScenarioException when the text is not HOCON or not a valid scenario
     */
    public static Scenario parseString(String label, String hocon) {
        Config root;
        try {
            root = ConfigFactory.parseString(hocon).resolve();
        } catch (ConfigException e) {
            throw new InvalidScenarioException("scenario " + label + ": not valid HOCON: " + e.getMessage());
        }
        return parse(label, Path.of(label), root);
    }

    private static Scenario parse(String label, Path source, Config root) {
        Reader top = new Reader(label, root, null, "");
        top.allowOnly("", root.root(), TOP_KEYS);
        String defaultName = label.endsWith(".conf") ? label.substring(0, label.length() - 5) : label;
        String name = top.name("name", defaultName);
        String description = top.string("description", "");
        Config shared = root.withoutPath("cases").withoutPath("name").withoutPath("description");

        List<ScenarioCase> cases = new ArrayList<>();
        if (!root.hasPath("cases")) {
            cases.add(new Reader(label, shared, null, "").scenarioCase(name));
            return new Scenario(name, description, source, List.copyOf(cases));
        }
        List<ConfigObject> caseObjects = top.objects("cases");
        if (caseObjects.isEmpty()) {
            throw top.invalid("cases", "is empty; give at least one case, or leave cases out for one case");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < caseObjects.size(); i++) {
            String prefix = "cases[" + i + "].";
            Config own = caseObjects.get(i).toConfig();
            Reader reader = new Reader(label, own.withFallback(shared), own, prefix);
            reader.allowOnly(prefix, caseObjects.get(i), CASE_KEYS);
            if (!own.hasPath("name")) {
                throw new InvalidScenarioException("scenario " + label + ": " + prefix + "name is missing; every case "
                    + "needs a name of its own");
            }
            String caseName = reader.name("name", null);
            if (!names.add(caseName)) {
                throw reader.invalid("name", "repeats an earlier case's name");
            }
            cases.add(reader.scenarioCase(caseName));
        }
        return new Scenario(name, description, source, List.copyOf(cases));
    }

    /**
     * Reads the settings of one case from the merged configuration, naming keys as written: under the case when
     * the case sets them ({@code own}), at the top level otherwise.
     */
    private static final class Reader {
        private final String label;
        private final Config config;
        private final Config own;
        private final String prefix;

        Reader(String label, Config config, Config own, String prefix) {
            this.label = label;
            this.config = config;
            this.own = own;
            this.prefix = prefix;
        }

        ScenarioCase scenarioCase(String name) {
            checkObjects();
            Sweep sweep = sweep();
            boolean isWarmUp = bool("warm-up", true);
            int loads = integer("loads", 3, 0, MAX_LOAD_ROUNDS);
            ModelSource model = model();
            Checks checks = checks();
            List<Fault> faults = faults(sweep, checks);
            if (!faults.isEmpty() && loads == 0) {
                throw invalid("loads", "leaves no load round for the faults to happen in; use at least 1");
            }
            if (faults.isEmpty() && checks.loads() == ExpectedLoads.FAILED) {
                throw invalid("checks.loads", "expects loads to fail, but the case has no faults to fail them");
            }
            return new ScenarioCase(name, nodeSettings(), clientSettings(), model, sweep, isWarmUp, loads, faults,
                checks, memberConfig());
        }

        private void checkObjects() {
            checkObject("nodes", NODE_KEYS);
            checkObject("clients", CLIENT_KEYS);
            checkObject("sweep", SWEEP_KEYS);
            checkObject("checks", CHECK_KEYS);
            if (config.hasPath("config") && config.getValue("config").valueType() != ConfigValueType.OBJECT) {
                throw invalid("config", "is not an object of member settings such as "
                    + "{ modelcache.data-plane.transport = aeron }");
            }
        }

        private void checkObject(String key, Set<String> known) {
            if (!config.hasPath(key)) {
                return;
            }
            if (config.getValue(key).valueType() != ConfigValueType.OBJECT) {
                throw invalid(key, "is not an object; it takes the keys " + String.join(", ", new TreeSet<>(known)));
            }
            // Typos are reported where they were written: the case's own object, then the top level's.
            if (own != null && own.hasPath(key) && own.getValue(key).valueType() == ConfigValueType.OBJECT) {
                allowOnly(prefix + key + ".", own.getObject(key), known);
            }
            allowOnly(key + ".", config.getObject(key), known);
        }

        void allowOnly(String where, ConfigObject object, Set<String> known) {
            for (String key : object.keySet()) {
                if (!known.contains(key)) {
                    throw new InvalidScenarioException("scenario " + label + ": unknown key " + where + key
                        + "; known keys " + (where.isEmpty() ? "" : "of " + where.substring(0, where.length() - 1)
                        + " ") + "are " + String.join(", ", new TreeSet<>(known)));
                }
            }
        }

        private NodeSettings nodeSettings() {
            long memory = bytes("nodes.memory", 2L << 30, MIN_NODE_MEMORY_BYTES, MAX_NODE_MEMORY_BYTES);
            long heap = bytes("nodes.heap", 512L << 20, MIN_HEAP_BYTES, MAX_HEAP_BYTES);
            return new NodeSettings(memory, heap, strings("nodes.jvm-options", List.of()));
        }

        private ClientSettings clientSettings() {
            int count = integer("clients.count", 1, 1, MAX_CLIENTS);
            long heap = bytes("clients.heap", 512L << 20, MIN_HEAP_BYTES, MAX_HEAP_BYTES);
            return new ClientSettings(count, heap, strings("clients.jvm-options", List.of()));
        }

        private Sweep sweep() {
            List<String> placements = list("sweep.placement", List.of("hash"), (key, value) -> {
                String placement = text(key, value);
                if (!Placement.NAMES.contains(placement)) {
                    throw invalid(key, value, "is unknown; use " + String.join(", ", Placement.NAMES));
                }
                return placement;
            });
            List<TransferStrategy> stores = list("sweep.store", List.of(TransferStrategy.BOUNDED), this::strategy);
            List<Integer> storeP = list("sweep.store-parallelism", List.of(8),
                (key, value) -> integer(key, value, 1, ModelCacheSettings.MAX_PARALLELISM));
            List<TransferStrategy> loads = list("sweep.load", List.of(TransferStrategy.BOUNDED), this::strategy);
            List<Integer> loadP = list("sweep.load-parallelism", List.of(4),
                (key, value) -> integer(key, value, 1, ModelCacheSettings.MAX_PARALLELISM));
            List<Integer> nodes = list("sweep.nodes", List.of(3), (key, value) -> integer(key, value, 1, MAX_NODES));
            List<Integer> replicas = list("sweep.replicas", List.of(1),
                (key, value) -> integer(key, value, 1, PutRequest.MAX_REPLICAS));
            List<Long> chunkSizes = list("sweep.chunk-size", List.of(MAX_CHUNK_SIZE_BYTES),
                (key, value) -> bytes(key, value, MIN_CHUNK_SIZE_BYTES, MAX_CHUNK_SIZE_BYTES));
            int fewestNodes = Collections.min(nodes);
            int mostReplicas = Collections.max(replicas);
            if (mostReplicas > fewestNodes) {
                throw invalid("sweep.replicas", "asks for " + mostReplicas + " replicas, more than the "
                    + fewestNodes + " nodes of " + where("sweep.nodes") + "; each replica of a partition needs a "
                    + "node of its own");
            }
            return new Sweep(placements, stores, storeP, loads, loadP, nodes, replicas, chunkSizes);
        }

        private TransferStrategy strategy(String key, ConfigValue value) {
            String name = text(key, value);
            try {
                return TransferStrategy.named(key, name);
            } catch (IllegalArgumentException e) {
                throw invalid(key, value, "is unknown; use serial, parallel or bounded");
            }
        }

        private ModelSource model() {
            if (!config.hasPath("model")) {
                throw new InvalidScenarioException("scenario " + label + ": " + prefix + "model is missing; name one "
                    + "of " + String.join(", ", RealModels.NAMES) + ", or describe a synthetic model "
                    + "{ size = 1 GiB, tensors = [...] }");
            }
            ConfigValue value = config.getValue("model");
            if (value.valueType() == ConfigValueType.STRING) {
                String name = (String) value.unwrapped();
                if (!RealModels.NAMES.contains(name)) {
                    throw invalid("model", value, "is not one of the real models " + String.join(", ",
                        RealModels.NAMES) + "; describe a synthetic model as an object { size = 1 GiB, ... }");
                }
                return new ModelSource.RealModel(name, RealModels.path(name));
            }
            if (value.valueType() != ConfigValueType.OBJECT) {
                throw invalid("model", value, "is neither a real model's name nor a synthetic model's object");
            }
            if (own != null && own.hasPath("model") && own.getValue("model").valueType() == ConfigValueType.OBJECT) {
                allowOnly(prefix + "model.", own.getObject("model"), SYNTHETIC_KEYS);
            }
            allowOnly(where("model") + ".", config.getObject("model"), SYNTHETIC_KEYS);
            if (!config.hasPath("model.size")) {
                throw invalid("model", value, "has no size; a synthetic model needs one, for example size = 1 GiB");
            }
            long size = bytes("model.size", 0, MIN_SYNTHETIC_BYTES, MAX_SYNTHETIC_BYTES);
            long seed = config.hasPath("model.seed") ? wholeNumber("model.seed", config.getValue("model.seed"),
                Long.MIN_VALUE, Long.MAX_VALUE) : 42;
            List<TensorGroup> tensors = tensorGroups(size);
            return new ModelSource.SyntheticModel(size, tensors, seed);
        }

        private List<TensorGroup> tensorGroups(long sizeBytes) {
            if (!config.hasPath("model.tensors")) {
                return List.of(new TensorGroup(DType.BF16, 64, 1.0));
            }
            List<ConfigObject> objects = objects("model.tensors");
            if (objects.isEmpty()) {
                throw invalid("model.tensors", "is empty; give at least one group { dtype = BF16, count = 64, "
                    + "share = 1.0 }");
            }
            List<TensorGroup> groups = new ArrayList<>();
            double shares = 0;
            int tensorCount = 0;
            for (int i = 0; i < objects.size(); i++) {
                String shown = where("model.tensors") + "[" + i + "].";
                allowOnly(shown, objects.get(i), TENSOR_KEYS);
                Config group = objects.get(i).toConfig();
                Reader inGroup = new Reader(label, group, null, shown);
                String dtypeName = inGroup.string("dtype", "BF16");
                DType dtype = DType.of(dtypeName).orElseThrow(() -> inGroup.invalid("dtype",
                    "is not a safetensors dtype such as BF16, F16, F32 or I8"));
                int count = inGroup.integer("count", 1, 1, MAX_TENSORS);
                double share = inGroup.fraction("share", 1.0);
                long rowBytes = (long) ROW_ELEMENTS * dtype.bytesPerElement();
                if (sizeBytes * share / count < rowBytes) {
                    throw invalidAt(shown.substring(0, shown.length() - 1), render(objects.get(i)),
                        "makes tensors of " + (long) (sizeBytes * share / count) + " bytes, smaller than one row of "
                            + ROW_ELEMENTS + " " + dtype + " elements (" + rowBytes + " bytes); use fewer tensors or "
                            + "a larger share");
                }
                shares += share;
                tensorCount += count;
                groups.add(new TensorGroup(dtype, count, share));
            }
            if (Math.abs(shares - 1) > 1e-6) {
                throw invalid("model.tensors", String.format(Locale.ROOT, "has shares adding up to %.4f, not 1",
                    shares));
            }
            if (tensorCount > MAX_TENSORS) {
                throw invalid("model.tensors", "has " + tensorCount + " tensors in all, more than " + MAX_TENSORS);
            }
            return List.copyOf(groups);
        }

        private Checks checks() {
            boolean identical = bool("checks.identical-bytes", true);
            Duration within = duration("checks.within", Duration.ofMinutes(5), Duration.ofSeconds(1), MAX_WITHIN);
            boolean noProcessLeft = bool("checks.no-process-left", true);
            String loadsName = string("checks.loads", "completed");
            ExpectedLoads loads = switch (loadsName) {
                case "completed" -> ExpectedLoads.COMPLETED;
                case "failed" -> ExpectedLoads.FAILED;
                case "any" -> ExpectedLoads.ANY;
                default -> throw invalid("checks.loads", "is unknown; use completed, failed or any");
            };
            return new Checks(identical, within, noProcessLeft, loads, string("checks.failure-contains", ""));
        }

        private List<Fault> faults(Sweep sweep, Checks checks) {
            if (!config.hasPath("faults")) {
                return List.of();
            }
            List<ConfigObject> objects = objects("faults");
            int fewestNodes = Collections.min(sweep.nodes());
            List<Fault> faults = new ArrayList<>();
            for (int i = 0; i < objects.size(); i++) {
                String shown = where("faults") + "[" + i + "].";
                allowOnly(shown, objects.get(i), FAULT_KEYS);
                Reader fault = new Reader(label, objects.get(i).toConfig(), null, shown);
                Fault read = fault.fault(fewestNodes, checks.within());
                if (read.trigger() instanceof Fault.AtProgress(double fraction)) {
                    for (Fault earlier : faults) {
                        if (earlier.trigger() instanceof Fault.AtProgress(double earlierFraction)
                            && earlierFraction != fraction) {
                            throw fault.invalid("at-progress", "differs from the " + earlierFraction + " of an "
                                + "earlier fault; a load is held once, so faults at progress share one fraction");
                        }
                    }
                }
                faults.add(read);
            }
            return List.copyOf(faults);
        }

        private Fault fault(int fewestNodes, Duration within) {
            if (!config.hasPath("action")) {
                throw new InvalidScenarioException("scenario " + label + ": " + prefix + "action is missing; use "
                    + "kill, stop, leave or join");
            }
            String actionName = string("action", null);
            Fault.Action action = switch (actionName) {
                case "kill" -> Fault.Action.KILL;
                case "stop" -> Fault.Action.STOP;
                case "leave" -> Fault.Action.LEAVE;
                case "join" -> Fault.Action.JOIN;
                default -> throw invalid("action", "is unknown; use kill, stop, leave or join");
            };
            int node = 0;
            if (action == Fault.Action.JOIN) {
                if (config.hasPath("node")) {
                    throw invalid("node", "names a node, but join starts a new one; remove it");
                }
            } else if (!config.hasPath("node")) {
                throw new InvalidScenarioException("scenario " + label + ": " + prefix + "node is missing; "
                    + actionName + " needs the number of the node (1.." + fewestNodes + ") it is done to");
            } else {
                node = integer("node", 0, 1, MAX_NODES);
                if (node > fewestNodes) {
                    throw invalid("node", "is not a node of every point: the smallest cluster of the case's "
                        + "sweep.nodes has " + fewestNodes);
                }
            }
            Duration duration = Duration.ZERO;
            if (action == Fault.Action.STOP) {
                if (!config.hasPath("duration")) {
                    throw new InvalidScenarioException("scenario " + label + ": " + prefix + "duration is missing; "
                        + "stop needs how long the node stays stopped, for example duration = 5 s");
                }
                duration = duration("duration", null, MIN_STOP, MAX_STOP);
            } else if (config.hasPath("duration")) {
                throw invalid("duration", "applies to stop only, not to " + actionName);
            }
            return new Fault(action, node, trigger(within), duration);
        }

        private Fault.Trigger trigger(Duration within) {
            boolean hasTime = config.hasPath("at");
            boolean hasProgress = config.hasPath("at-progress");
            if (hasTime == hasProgress) {
                throw new InvalidScenarioException("scenario " + label + ": " + prefix + "at and " + prefix
                    + "at-progress: give exactly one, a time after the loads start (at = 2 s) or a fraction of the "
                    + "first client's load (at-progress = 0.3)");
            }
            if (hasTime) {
                Duration at = duration("at", null, Duration.ZERO, MAX_WITHIN);
                if (at.compareTo(within) >= 0) {
                    throw invalid("at", "is not before the case's checks.within (" + describe(within) + "), by "
                        + "when every load must have ended");
                }
                return new Fault.AtTime(at);
            }
            double fraction = fraction("at-progress", 0);
            if (fraction >= 1) {
                throw invalid("at-progress", "is not below 1; the fault must land while the load has work left");
            }
            return new Fault.AtProgress(fraction);
        }

        private Config memberConfig() {
            if (!config.hasPath("config")) {
                return ConfigFactory.empty();
            }
            Config members = config.getConfig("config");
            if (members.hasPath(SWEPT_MEMBER_KEY)) {
                throw invalid("config", "sets " + SWEPT_MEMBER_KEY + ", which the sweep sets for every point; use "
                    + "sweep.chunk-size");
            }
            return members;
        }

        // Typed reads. Each names the key where it was written and the value as written.

        private interface Element<T> {
            T read(String key, ConfigValue value);
        }

        /** A list, or one value standing for a list of one. */
        private <T> List<T> list(String key, List<T> defaults, Element<T> element) {
            if (!config.hasPath(key)) {
                return defaults;
            }
            ConfigValue value = config.getValue(key);
            List<ConfigValue> values = value instanceof ConfigList items ? items : List.of(value);
            if (values.isEmpty()) {
                throw invalid(key, value, "is empty; give at least one value");
            }
            Set<T> distinct = new LinkedHashSet<>();
            for (ConfigValue item : values) {
                if (!distinct.add(element.read(key, item))) {
                    throw invalid(key, value, "repeats " + render(item));
                }
            }
            return List.copyOf(distinct);
        }

        private List<ConfigObject> objects(String key) {
            ConfigValue value = config.getValue(key);
            if (!(value instanceof ConfigList items)) {
                throw invalid(key, value, "is not a list of objects");
            }
            List<ConfigObject> objects = new ArrayList<>();
            for (ConfigValue item : items) {
                if (!(item instanceof ConfigObject object)) {
                    throw invalid(key, value, "holds " + render(item) + ", which is not an object");
                }
                objects.add(object);
            }
            return objects;
        }

        String string(String key, String fallback) {
            return config.hasPath(key) ? text(key, config.getValue(key)) : fallback;
        }

        String name(String key, String fallback) {
            String name = string(key, fallback);
            if (!NAME.matcher(name).matches()) {
                throw invalid(key, config.hasPath(key) ? render(config.getValue(key)) : name,
                    "is not a name of letters, digits, '.', '_' and '-' starting with a letter or digit");
            }
            return name;
        }

        private String text(String key, ConfigValue value) {
            if (value.valueType() != ConfigValueType.STRING) {
                throw invalid(key, value, "is not a string");
            }
            return (String) value.unwrapped();
        }

        private List<String> strings(String key, List<String> fallback) {
            return list(key, fallback, this::text);
        }

        int integer(String key, int fallback, int min, int max) {
            return config.hasPath(key) ? integer(key, config.getValue(key), min, max) : fallback;
        }

        private int integer(String key, ConfigValue value, int min, int max) {
            return (int) wholeNumber(key, value, min, max);
        }

        private long wholeNumber(String key, ConfigValue value, long min, long max) {
            if (value.valueType() != ConfigValueType.NUMBER) {
                throw invalid(key, value, "is not a number");
            }
            Number number = (Number) value.unwrapped();
            if (!(number instanceof Integer || number instanceof Long)) {
                throw invalid(key, value, "is not a whole number");
            }
            long whole = number.longValue();
            if (whole < min || whole > max) {
                throw invalid(key, value, "is outside " + min + ".." + max);
            }
            return whole;
        }

        private double fraction(String key, double fallback) {
            if (!config.hasPath(key)) {
                return fallback;
            }
            ConfigValue value = config.getValue(key);
            if (value.valueType() != ConfigValueType.NUMBER) {
                throw invalid(key, value, "is not a number");
            }
            double fraction = ((Number) value.unwrapped()).doubleValue();
            if (!(fraction > 0 && fraction <= 1)) {
                throw invalid(key, value, "is outside (0, 1]");
            }
            return fraction;
        }

        private boolean bool(String key, boolean fallback) {
            if (!config.hasPath(key)) {
                return fallback;
            }
            ConfigValue value = config.getValue(key);
            if (value.valueType() != ConfigValueType.BOOLEAN) {
                throw invalid(key, value, "is not true or false");
            }
            return (Boolean) value.unwrapped();
        }

        private long bytes(String key, long fallback, long min, long max) {
            return config.hasPath(key) ? bytes(key, config.getValue(key), min, max) : fallback;
        }

        private long bytes(String key, ConfigValue value, long min, long max) {
            long bytes;
            try {
                bytes = value.atKey("size").getBytes("size");
            } catch (ConfigException e) {
                throw invalid(key, value, "is not a size such as 4 MiB or 1048576");
            }
            if (bytes < min || bytes > max) {
                throw invalid(key, value, "is outside " + describe(min) + ".." + describe(max) + " (" + min + ".."
                    + max + " bytes)");
            }
            return bytes;
        }

        private Duration duration(String key, Duration fallback, Duration min, Duration max) {
            if (!config.hasPath(key)) {
                return fallback;
            }
            ConfigValue value = config.getValue(key);
            Duration duration;
            try {
                duration = config.getDuration(key);
            } catch (ConfigException e) {
                throw invalid(key, value, "is not a duration such as 5 s or 500 ms");
            }
            if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
                throw invalid(key, value, "is outside " + describe(min) + ".." + describe(max));
            }
            return duration;
        }

        // Messages.

        private String where(String key) {
            return (own != null && own.hasPathOrNull(key) ? prefix : own == null ? prefix : "") + key;
        }

        InvalidScenarioException invalid(String key, String problem) {
            return invalid(key, config.hasPathOrNull(key) ? render(config.getValue(key)) : "(missing)", problem);
        }

        private InvalidScenarioException invalid(String key, ConfigValue value, String problem) {
            return invalid(key, render(value), problem);
        }

        private InvalidScenarioException invalid(String key, String shownValue, String problem) {
            return invalidAt(where(key), shownValue, problem);
        }

        private InvalidScenarioException invalidAt(String shownKey, String shownValue, String problem) {
            return new InvalidScenarioException("scenario " + label + ": " + shownKey + " = " + shownValue + " "
                + problem);
        }

        /** @return the value as written: a plain word bare, any other string quoted, lists and objects as JSON */
        private static String render(ConfigValue value) {
            if (value.valueType() == ConfigValueType.STRING && BARE.matcher((String) value.unwrapped()).matches()) {
                return (String) value.unwrapped();
            }
            return value.render(ConfigRenderOptions.concise());
        }

        private static String describe(long bytes) {
            return Sizes.describe(bytes);
        }

        private static String describe(Duration duration) {
            if (duration.toMillis() % 1000 != 0) {
                return duration.toMillis() + " ms";
            }
            return duration.toSeconds() % 60 != 0 || duration.isZero() ? duration.toSeconds() + " s"
                : duration.toMinutes() % 60 != 0 ? duration.toMinutes() + " min" : duration.toHours() + " h";
        }
    }
}
