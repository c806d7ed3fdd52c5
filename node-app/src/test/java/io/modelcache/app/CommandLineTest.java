package io.modelcache.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input on the command line: a non-zero exit and one line that says what was wrong. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CommandLineTest {

    @TempDir
    Path tempDir;

    @Test
    void putOfMissingFileExitsOneNamingThePath() {
        Result result = run("put", tempDir.resolve("missing.onnx").toString());

        assertEquals(1, result.code());
        assertEquals("modelcache: error: no such file or directory: " + tempDir.resolve("missing.onnx"),
            result.err().strip());
    }

    @Test
    void nodeRefusesPortOutOfRange() {
        Result result = run("node", "--port", "70000");

        assertEquals(1, result.code());
        assertEquals("modelcache: error: --port 70000 is outside 0..65535", result.err().strip());
    }

    @Test
    void nodeRefusesMemorySizeThatIsNotASize() {
        Result result = run("node", "--memory", "4XB", "--port", "0");

        assertEquals(1, result.code());
        assertEquals("modelcache: error: --memory '4XB' is not a size such as 4GiB or 512MiB", result.err().strip());
    }

    @Test
    void nodeRefusesMissingConfigFile() {
        Result result = run("node", "--config", tempDir.resolve("none.conf").toString());

        assertEquals(1, result.code());
        assertTrue(result.err().contains("config file " + tempDir.resolve("none.conf") + " does not exist"),
            result.err());
    }

    @Test
    void getWithoutOutputDirectoryIsAUsageError() {
        Result result = run("get", "m");

        assertEquals(2, result.code());
        assertEquals("modelcache: error: Missing required option: '--out=DIR' (see 'modelcache get --help')",
            result.err().strip());
    }

    @Test
    void getRefusesParallelismZeroNamingTheRange() {
        Result result = run("get", "m", "--out", tempDir.toString(), "--parallelism", "0");

        assertEquals(1, result.code());
        assertEquals("modelcache: error: --parallelism 0 is outside 1..1024", result.err().strip());
    }

    @Test
    void getRefusesOutputPathThatIsAFile() throws Exception {
        Path file = java.nio.file.Files.writeString(tempDir.resolve("file"), "x");

        Result result = run("get", "m", "--out", file.toString());

        assertEquals(1, result.code());
        assertEquals("modelcache: error: --out " + file + " is a file, not a directory", result.err().strip());
    }

    @Test
    void putRefusesInvalidNameBeforeJoining() throws Exception {
        Path file = java.nio.file.Files.writeString(tempDir.resolve("m.bin"), "x");

        Result result = run("put", file.toString(), "--name", "../bad");

        assertEquals(1, result.code());
        assertTrue(result.err().startsWith("modelcache: error: model name '../bad' is invalid"), result.err());
    }

    @Test
    void putRefusesUnknownPlacementAsAUsageErrorNamingTheKnownOnes() {
        Result result = run("put", tempDir.toString(), "--placement", "striped");

        assertEquals(2, result.code());
        assertEquals("modelcache: error: --placement 'striped' is unknown; known: hash, range, random "
            + "(see 'modelcache put --help')", result.err().strip());
    }

    @Test
    void putRefusesPartitionsOutOfRangeAsAUsageError() {
        Result zero = run("put", tempDir.toString(), "--partitions", "0");
        Result tooMany = run("put", tempDir.toString(), "--placement", "range", "--partitions", "5000");

        assertEquals(2, zero.code());
        assertEquals("modelcache: error: --partitions 0 is outside 1..4096 (see 'modelcache put --help')",
            zero.err().strip());
        assertEquals(2, tooMany.code());
        assertEquals("modelcache: error: --partitions 5000 is outside 1..4096 (see 'modelcache put --help')",
            tooMany.err().strip());
    }

    @Test
    void putRefusesPlacementSeedForAPlacementThatTakesNone() {
        Result result = run("put", tempDir.toString(), "--placement", "hash", "--placement-seed", "7");

        assertEquals(2, result.code());
        assertEquals("modelcache: error: --placement-seed is used by --placement random only, not by hash "
            + "(see 'modelcache put --help')", result.err().strip());
    }

    @Test
    void putRefusesUnknownStoreStrategyAndReplicasOutOfRangeAsUsageErrors() {
        Result strategy = run("put", tempDir.toString(), "--store", "eager");
        Result replicas = run("put", tempDir.toString(), "--replicas", "0");

        assertEquals(2, strategy.code());
        assertEquals("modelcache: error: --store 'eager' is unknown; use serial, parallel or bounded "
            + "(see 'modelcache put --help')", strategy.err().strip());
        assertEquals(2, replicas.code());
        assertEquals("modelcache: error: --replicas 0 is outside 1..16 (see 'modelcache put --help')",
            replicas.err().strip());
    }

    @Test
    void getRefusesUnknownLoadStrategyAsAUsageError() {
        Result result = run("get", "m", "--out", tempDir.toString(), "--load", "greedy");

        assertEquals(2, result.code());
        assertEquals("modelcache: error: --load 'greedy' is unknown; use serial, parallel or bounded "
            + "(see 'modelcache get --help')", result.err().strip());
    }

    @Test
    void putHelpShowsPlacementOptions() {
        Result result = run("put", "--help");

        assertEquals(0, result.code());
        for (String option : new String[] {"--placement=NAME", "--partitions=N", "--placement-seed=N",
            "--store=STRATEGY", "--replicas=R"}) {
            assertTrue(result.out().contains(option), result.out());
        }
    }

    @Test
    void unknownCommandIsOneLineUsageError() {
        Result result = run("frobnicate");

        assertEquals(2, result.code());
        assertEquals(1, result.err().strip().lines().count(), result.err());
    }

    @Test
    void demoRefusesMissingModelFile() {
        Result result = run("demo", "--model", tempDir.resolve("none.onnx").toString());

        assertEquals(1, result.code());
        assertEquals("modelcache: error: model file " + tempDir.resolve("none.onnx") + " does not exist",
            result.err().strip());
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"node", "put", "get", "ls", "stat", "rm", "cluster", "demo"}) {
            Result result = run(command, "--help");

            assertEquals(0, result.code(), command);
            assertTrue(result.out().startsWith("Usage: modelcache " + command), result.out());
        }
    }

    @Test
    void defaultModelNameComesFromTheFileName() {
        assertEquals("all-minilm-l6-v2", PutCommand.defaultName(Path.of("/x/all-minilm-l6-v2.onnx")));
        assertEquals("my-model-v1", PutCommand.defaultName(Path.of("/x/my model v1.safetensors")));
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = ModelCacheCommand.commandLine();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        int code = line.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
