package io.modelcache.sim.scenario;

import io.modelcache.format.DType;
import io.modelcache.node.TransferStrategy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A scenario is read as written or refused with a message naming the key, the value and the limit. */
class ScenarioParserTest {
    private static final String MINIMAL = "model = all-minilm-l6-v2-q\n";

    @Test
    void readsEveryShippedScenario() throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(Path.of("..", "config", "sim"))) {
            files = listed.filter(path -> path.toString().endsWith(".conf")).sorted().toList();
        }

        List<String> names = files.stream().map(file -> ScenarioParser.parse(file).name()).toList();

        assertEquals(List.of("faults", "scaling", "smoke", "strategies"), names);
    }

    @Test
    void appliesDefaultsToAMinimalScenario() {
        Scenario scenario = ScenarioParser.parseString("minimal.conf", MINIMAL);

        ScenarioCase only = scenario.cases().getFirst();
        assertEquals("minimal", scenario.name());
        assertEquals("minimal", only.name());
        assertEquals(List.of(new SweepPoint("hash", TransferStrategy.BOUNDED, 8, TransferStrategy.BOUNDED, 4, 3, 1,
            4 << 20)), only.sweep().points());
        assertEquals(3, only.loads());
        assertTrue(only.isWarmUp());
        assertEquals(Duration.ofMinutes(5), only.checks().within());
        assertEquals(Checks.ExpectedLoads.COMPLETED, only.checks().loads());
        assertTrue(only.checks().identicalBytes() && only.checks().noProcessLeft());
        assertInstanceOf(ModelSource.RealModel.class, only.model());
    }

    @Test
    void measuresSerialAndParallelOnceWhateverTheListOfP() {
        Scenario scenario = ScenarioParser.parseString("p.conf", MINIMAL
            + "sweep { load = [serial, parallel, bounded], load-parallelism = [1, 2, 4] }");

        List<SweepPoint> points = scenario.cases().getFirst().sweep().points();

        assertEquals(List.of("serial/0", "parallel/0", "bounded/1", "bounded/2", "bounded/4"),
            points.stream().map(point -> point.load().label() + "/" + point.loadParallelism()).toList());
    }

    @Test
    void aCaseOverridesTheTopLevelKeyByKey() {
        Scenario scenario = ScenarioParser.parseString("cases.conf", MINIMAL
            + "sweep { nodes = 3, load = serial }\n"
            + "cases = [{ name = a }, { name = b, sweep.replicas = 2, loads = 1,\n"
            + "  faults = [{ action = stop, node = 2, at = 1 s, duration = 5 s }] }]");

        ScenarioCase b = scenario.cases().get(1);

        assertEquals(List.of("a", "b"), scenario.cases().stream().map(ScenarioCase::name).toList());
        assertFalse(scenario.cases().getFirst().hasFaults());
        assertEquals(List.of(TransferStrategy.SERIAL), b.sweep().loads(), "inherited from the top level");
        assertEquals(List.of(2), b.sweep().replicas(), "the case's own");
        assertEquals(new Fault(Fault.Action.STOP, 2, new Fault.AtTime(Duration.ofSeconds(1)), Duration.ofSeconds(5)),
            b.faults().getFirst());
    }

    @Test
    void readsASyntheticModelAndItsTensorMix() {
        Scenario scenario = ScenarioParser.parseString("synthetic.conf", "model { size = 64 MiB, seed = 7, "
            + "tensors = [{ dtype = BF16, count = 8, share = 0.75 }, { dtype = F32, count = 4, share = 0.25 }] }");

        ModelSource.SyntheticModel model = (ModelSource.SyntheticModel) scenario.cases().getFirst().model();

        assertEquals(64L << 20, model.sizeBytes());
        assertEquals(7, model.seed());
        assertEquals(List.of(new ModelSource.TensorGroup(DType.BF16, 8, 0.75),
            new ModelSource.TensorGroup(DType.F32, 4, 0.25)), model.tensors());
        assertEquals("synthetic-64MiB", model.label());
    }

    @Test
    void refusesAnUnknownKeyNamingItAndTheKnownOnes() {
        assertRefused(MINIMAL + "sweep { lod = serial }",
            "scenario test.conf: unknown key sweep.lod; known keys of sweep are chunk-size, load, load-parallelism, "
                + "nodes, placement, replicas, store, store-parallelism");
        assertRefused(MINIMAL + "lods = 3", "unknown key lods;");
    }

    @Test
    void namesAKeyInACaseWhereTheCaseWroteIt() {
        assertRefused(MINIMAL + "cases = [{ name = a }, { name = b, sweep { replica = 2 } }]",
            "unknown key cases[1].sweep.replica;");
        assertRefused(MINIMAL + "sweep.load-parallelism = 0\ncases = [{ name = a }]",
            "scenario test.conf: sweep.load-parallelism = 0 is outside 1..1024");
        assertRefused(MINIMAL + "cases = [{ name = a, sweep.load-parallelism = 2000 }]",
            "scenario test.conf: cases[0].sweep.load-parallelism = 2000 is outside 1..1024");
    }

    @Test
    void refusesValuesOutOfRangeNamingKeyValueAndLimit() {
        assertRefused(MINIMAL + "sweep.load-parallelism = [4, 0]", "sweep.load-parallelism = 0 is outside 1..1024");
        assertRefused(MINIMAL + "sweep.chunk-size = 8 MiB",
            "sweep.chunk-size = \"8 MiB\" is outside 64 KiB..4 MiB (65536..4194304 bytes)");
        assertRefused(MINIMAL + "sweep.nodes = 17", "sweep.nodes = 17 is outside 1..16");
        assertRefused(MINIMAL + "clients.count = 0", "clients.count = 0 is outside 1..16");
        assertRefused(MINIMAL + "checks.within = 0 s", "checks.within = \"0 s\" is outside 1 s..24 h");
        assertRefused(MINIMAL + "nodes.memory = 1 MiB",
            "nodes.memory = \"1 MiB\" is outside 16 MiB..1 TiB (16777216..1099511627776 bytes)");
    }

    @Test
    void refusesValuesOfTheWrongKind() {
        assertRefused(MINIMAL + "loads = many", "loads = many is not a number");
        assertRefused(MINIMAL + "loads = 2.5", "loads = 2.5 is not a whole number");
        assertRefused(MINIMAL + "sweep.load = fast", "sweep.load = fast is unknown; use serial, parallel or bounded");
        assertRefused(MINIMAL + "sweep.placement = [hash, ring]", "sweep.placement = ring is unknown; use hash, "
            + "range, random");
        assertRefused(MINIMAL + "sweep.nodes = [2, 2]", "sweep.nodes = [2,2] repeats 2");
        assertRefused(MINIMAL + "checks.identical-bytes = 1", "checks.identical-bytes = 1 is not true or false");
        assertRefused(MINIMAL + "checks.loads = sometimes", "checks.loads = sometimes is unknown; use completed, "
            + "failed or any");
        assertRefused(MINIMAL + "nodes.memory = lots", "nodes.memory = lots is not a size such as 4 MiB or 1048576");
    }

    @Test
    void refusesModelsItCannotMake() {
        assertRefused("model = gpt-5", "model = gpt-5 is not one of the real models all-minilm-l6-v2-q, "
            + "all-minilm-l6-v2, bge-small-en-v15");
        assertRefused("sweep.nodes = 3", "model is missing");
        assertRefused("model { size = 64 MiB, tensors = [{ dtype = F99 }] }", "model.tensors[0].dtype = F99 is not "
            + "a safetensors dtype");
        assertRefused("model { size = 64 MiB, tensors = [{ share = 0.5 }, { share = 0.25 }] }",
            "model.tensors = [{\"share\":0.5},{\"share\":0.25}] has shares adding up to 0.7500, not 1");
        assertRefused("model { size = 1 MiB, tensors = [{ dtype = F32, count = 1000 }] }",
            "makes tensors of 1048 bytes, smaller than one row of 1024 F32 elements (4096 bytes)");
        assertRefused("model { size = 100 GiB }", "model.size = \"100 GiB\" is outside 1 MiB..64 GiB");
    }

    @Test
    void refusesSettingsThatContradictEachOther() {
        assertRefused(MINIMAL + "sweep { nodes = [2, 3], replicas = [1, 3] }", "sweep.replicas = [1,3] asks for 3 "
            + "replicas, more than the 2 nodes of sweep.nodes; each replica of a partition needs a node of its own");
        assertRefused(MINIMAL + "faults = [{ action = kill, node = 4, at-progress = 0.3 }]",
            "faults[0].node = 4 is not a node of every point: the smallest cluster of the case's sweep.nodes has 3");
        assertRefused(MINIMAL + "faults = [{ action = kill, node = 1 }]", "faults[0].at and faults[0].at-progress: "
            + "give exactly one");
        assertRefused(MINIMAL + "faults = [{ action = kill, node = 1, at = 1 s, at-progress = 0.5 }]",
            "give exactly one");
        assertRefused(MINIMAL + "faults = [{ action = stop, node = 1, at = 1 s }]", "faults[0].duration is missing");
        assertRefused(MINIMAL + "faults = [{ action = join, node = 1, at = 1 s }]", "faults[0].node = 1 names a node, "
            + "but join starts a new one");
        assertRefused(MINIMAL + "faults = [{ action = kill, node = 1, at-progress = 1.0 }]",
            "faults[0].at-progress = 1 is not below 1");
        assertRefused(MINIMAL + "faults = [{ action = kill, node = 1, at = 10 minutes }]",
            "faults[0].at = \"10 minutes\" is not before the case's checks.within (5 min)");
        assertRefused(MINIMAL + "faults = [{ action = explode, node = 1, at = 1 s }]",
            "faults[0].action = explode is unknown; use kill, stop, leave or join");
        assertRefused(MINIMAL + "loads = 0\nfaults = [{ action = join, at = 1 s }]", "loads = 0 leaves no load round");
        assertRefused(MINIMAL + "checks.loads = failed", "checks.loads = failed expects loads to fail, but the case "
            + "has no faults");
        assertRefused(MINIMAL + "config { modelcache.chunk-size = 1 MiB }", "sets modelcache.chunk-size, which the "
            + "sweep sets");
    }

    @Test
    void refusesCasesWithoutOrWithRepeatedNames() {
        assertRefused(MINIMAL + "cases = [{ loads = 1 }]", "cases[0].name is missing");
        assertRefused(MINIMAL + "cases = [{ name = a }, { name = a }]", "cases[1].name = a repeats an earlier "
            + "case's name");
        assertRefused(MINIMAL + "cases = []", "cases = [] is empty");
        assertRefused(MINIMAL + "cases = [{ name = \"a b\" }]", "cases[0].name = \"a b\" is not a name");
    }

    @Test
    void refusesTextThatIsNotHocon() {
        assertRefused("model = [", "scenario test.conf: not valid HOCON:");
        InvalidScenarioException missing = assertThrows(InvalidScenarioException.class,
            () -> ScenarioParser.parse(Path.of("no-such-scenario.conf")));
        assertTrue(missing.getMessage().contains("no-such-scenario.conf does not exist"), missing.getMessage());
    }

    private static void assertRefused(String hocon, String expected) {
        InvalidScenarioException refused = assertThrows(InvalidScenarioException.class,
            () -> ScenarioParser.parseString("test.conf", hocon));
        assertTrue(refused.getMessage().contains(expected), "expected '" + expected + "' in: " + refused.getMessage());
    }
}
