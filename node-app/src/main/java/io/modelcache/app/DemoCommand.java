package io.modelcache.app;

import com.typesafe.config.ConfigFactory;
import io.modelcache.client.ModelCacheClient;
import io.modelcache.loader.LoadDestination;
import io.modelcache.loader.LoadRequest;
import io.modelcache.loader.LoadedModel;
import io.modelcache.node.ModelCacheNode;
import io.modelcache.writer.PutRequest;
import io.modelcache.writer.PutResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Starts a local cluster of data nodes on loopback (each its own actor system, talking over real Artery TCP),
 * stores a real ONNX model, loads it back at several parallelisms, checks every byte and prints a table.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Store a real model in a local 3-node cluster, load it back at P = 1, 4, 16, check it, "
        + "print a table.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "FILE",
        description = "Model file (default: all-minilm-l6-v2.onnx from the folder the build unpacks).")
    Path model;

    @Option(names = "--nodes", defaultValue = "3", description = "Data nodes (default: ${DEFAULT-VALUE}).")
    int nodeCount;

    @Option(names = "--parallelism", paramLabel = "P", split = ",", defaultValue = "1,4,16",
        description = "Load parallelisms to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> parallelisms;

    @Override
    public Integer call() throws Exception {
        Path source = model != null ? model : defaultModel();
        if (!Files.isRegularFile(source)) {
            throw new IllegalArgumentException("model file " + source + " does not exist");
        }
        if (nodeCount < 1 || nodeCount > 16) {
            throw new IllegalArgumentException("--nodes " + nodeCount + " is outside 1..16");
        }
        String expectedSha256 = sha256Of(source);
        double pageCacheMbps = pageCacheMegabytesPerSecond(source);
        List<ModelCacheNode> nodes = new ArrayList<>();
        try {
            startNodes(nodes);
            try (ModelCacheClient client = ModelCacheClient.connect("127.0.0.1", List.of(nodes.getFirst().hostPort()),
                ConfigFactory.empty())) {
                run(client, source, expectedSha256, pageCacheMbps);
            }
        } finally {
            for (ModelCacheNode node : nodes.reversed()) {
                node.close(Duration.ofSeconds(20));
            }
        }
        return 0;
    }

    private void startNodes(List<ModelCacheNode> nodes) throws Exception {
        for (int i = 0; i < nodeCount; i++) {
            List<String> seeds = nodes.isEmpty() ? List.of() : List.of(nodes.getFirst().hostPort());
            ModelCacheNode node = ModelCacheNode.start(ModelCacheNode.Role.DATA, "127.0.0.1", 0, seeds,
                ConfigFactory.empty());
            nodes.add(node);
            node.awaitUp(Duration.ofSeconds(30));
        }
        System.out.printf("started %d data nodes: %s%n", nodeCount,
            String.join(", ", nodes.stream().map(ModelCacheNode::hostPort).toList()));
    }

    private void run(ModelCacheClient client, Path source, String expectedSha256, double pageCacheMbps)
        throws Exception {
        String name = PutCommand.defaultName(source);
        PutResult.Stored stored = Cli.await(client.put(PutRequest.of(source, name)));
        System.out.printf("stored %s: %s in %d chunks on %d partitions in %.2f s%n", stored.modelId(),
            Cli.megabytes(stored.bytes()), stored.chunks(), stored.partitions(), stored.seconds());
        try (LoadedModel warmUp = Cli.await(client.load(LoadRequest.intoMemory(name).withSha256Check(true)))) {
            check(warmUp, source, expectedSha256);
        }

        System.out.println();
        System.out.printf("%4s %12s %9s %9s %14s %10s  %s%n", "P", "bytes", "seconds", "MB/s", "transfer MB/s",
            "SHA-256 s", "bytes vs source");
        for (int parallelism : parallelisms) {
            try (LoadedModel loaded = Cli.await(client.load(LoadRequest.intoMemory(name)
                .withParallelism(parallelism).withSha256Check(true)))) {
                check(loaded, source, expectedSha256);
                System.out.printf("%4d %12d %9.3f %9.0f %14.0f %10.3f  identical%n", parallelism, loaded.bytes(),
                    loaded.seconds(), loaded.megabytesPerSecond(), loaded.bytes() / loaded.transferSeconds() / 1e6,
                    loaded.verifySeconds());
            }
        }
        System.out.printf("%nfor comparison, reading %s from the page cache: %.0f MB/s%n", source.getFileName(),
            pageCacheMbps);
        System.out.println("(seconds and MB/s cover the whole load: manifest lookup, transfer with CRC32C per chunk, "
            + "and the SHA-256 check of every file, shown on its own; chunks travel on the "
            + client.node().settings().transport() + " data plane; one warm-up load ran first)");
    }

    private static void check(LoadedModel loaded, Path source, String expectedSha256) {
        String actual = LoadDestination.sha256Hex(loaded.file(source.getFileName().toString()));
        if (!actual.equals(expectedSha256)) {
            throw new IllegalStateException("loaded bytes have SHA-256 " + actual + ", the source file "
                + expectedSha256);
        }
    }

    private static String sha256Of(Path file) throws Exception {
        try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return LoadDestination.sha256Hex(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena));
        }
    }

    /** Reads the file into off-heap memory three times after a warm-up; returns the median MB/s. */
    private static double pageCacheMegabytesPerSecond(Path file) throws Exception {
        double[] rates = new double[3];
        try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment target = arena.allocate(channel.size(), 64);
            for (int run = -1; run < rates.length; run++) {
                long startNs = System.nanoTime();
                long read = 0;
                while (read < channel.size()) {
                    long length = Math.min(1 << 24, channel.size() - read);
                    read += channel.read(target.asSlice(read, length).asByteBuffer(), read);
                }
                if (run >= 0) {
                    rates[run] = read / ((System.nanoTime() - startNs) / 1e9) / 1e6;
                }
            }
        }
        java.util.Arrays.sort(rates);
        return rates[1];
    }

    private static Path defaultModel() {
        String dir = System.getProperty("modelcache.models.dir");
        if (dir == null) {
            throw new IllegalArgumentException("no model given: pass --model FILE, or run through bin/modelcache, "
                + "which sets -Dmodelcache.models.dir to the folder the build unpacks");
        }
        return Path.of(dir, "all-minilm-l6-v2", "all-minilm-l6-v2.onnx");
    }
}
