package io.modelcache.app;

import io.modelcache.client.ModelCacheClient;
import io.modelcache.placement.Placement;
import io.modelcache.placement.RandomPlacement;
import io.modelcache.node.TransferStrategy;
import io.modelcache.writer.PutRequest;
import io.modelcache.writer.ModelPlan;
import io.modelcache.writer.PutResult;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Stores a model file or directory and prints its id. */
@Command(name = "put", mixinStandardHelpOptions = true, description = "Store a model (a file or a directory).")
final class PutCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", description = "A model file, or a directory of model files.")
    Path path;

    @Option(names = "--name", description = "The model's name (default: the file or directory name).")
    String name;

    @Option(names = "--store", paramLabel = "STRATEGY",
        description = "Chunks kept in flight: serial (one), parallel (all at once) or bounded (P) "
            + "(default: modelcache.writer.strategy).")
    String strategy;

    @Option(names = "--parallelism", paramLabel = "P",
        description = "The bounded strategy's chunks in flight, 1..1024 (default: modelcache.writer.parallelism).")
    Integer parallelism;

    @Option(names = "--replicas", paramLabel = "R", defaultValue = "1",
        description = "Copies of every partition, each on another data node; at most the data nodes "
            + "(default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--placement", paramLabel = "NAME",
        description = "How chunks are assigned to partitions: hash, range or random "
            + "(default: modelcache.writer.placement).")
    String placement;

    @Option(names = "--partitions", paramLabel = "N",
        description = "Partitions, 1..4096 and at most the model's chunks (default: data nodes times "
            + "modelcache.writer.partitions-per-node, at most the chunks).")
    Integer partitions;

    @Option(names = "--placement-seed", paramLabel = "N",
        description = "Seed of random placement (default: derived from the model's content).")
    Long placementSeed;

    @Mixin
    Cli.ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        checkPlacementOptions();
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no such file or directory: " + path);
        }
        String modelName = name != null ? name : defaultName(path);
        ModelPlan.checkName(modelName);
        int storeParallelism = Cli.parallelism(parallelism);
        try (ModelCacheClient client = cluster.connect()) {
            ProgressBar bar = Cli.progressBar("put " + modelName, Math.max(1, sizeOf(path)));
            try {
                PutRequest request = new PutRequest(path, modelName, storeParallelism,
                    bar == null ? null : (done, total) -> bar.stepTo(done))
                    .withPlacement(placement)
                    .withPartitions(partitions == null ? 0 : partitions)
                    .withStoreStrategy(strategy == null ? null : TransferStrategy.named("--store", strategy))
                    .withReplicas(replicas);
                if (placementSeed != null) {
                    request = request.withPlacementSeed(placementSeed);
                }
                PutResult.Stored stored = Cli.await(client.put(request));
                if (bar != null) {
                    bar.close();
                }
                System.out.println(stored.modelId());
                if (stored.alreadyStored()) {
                    System.err.printf("already stored %s: %d files, %d chunks in %d partitions x %d replicas, %s%n",
                        stored.modelId(), stored.files(), stored.chunks(), stored.partitions(), stored.replicas(),
                        Cli.megabytes(stored.bytes()));
                } else {
                    System.err.printf("stored %s: %d files, %d chunks in %d partitions x %d replicas, %s in %.2f s "
                            + "(%.0f MB/s, %s, P=%d)%n", stored.modelId(), stored.files(), stored.chunks(),
                        stored.partitions(), stored.replicas(), Cli.megabytes(stored.bytes()), stored.seconds(),
                        stored.megabytesPerSecond(), stored.strategy().label(), stored.parallelism());
                }
            } finally {
                if (bar != null) {
                    bar.close();
                }
            }
        }
        return 0;
    }

    /**
     * Refuses placement options that no put could accept, before joining the cluster: usage errors (exit 2).
     * A seed given without {@code --placement} is checked by the writer, which knows the configured placement.
     */
    private void checkPlacementOptions() {
        try {
            if (placement != null) {
                Placement chosen = Placement.named("--placement", placement);
                if (placementSeed != null && !chosen.isSeeded()) {
                    throw new IllegalArgumentException("--placement-seed is used by --placement "
                        + RandomPlacement.NAME + " only, not by " + placement);
                }
            }
            if (partitions != null) {
                Placement.checkPartitionCount("--partitions", partitions);
            }
            if (strategy != null) {
                TransferStrategy.named("--store", strategy);
            }
            if (replicas < 1 || replicas > PutRequest.MAX_REPLICAS) {
                throw new IllegalArgumentException("--replicas " + replicas + " is outside 1.."
                    + PutRequest.MAX_REPLICAS);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    static String defaultName(Path path) {
        String file = path.toAbsolutePath().normalize().getFileName().toString();
        int dot = file.lastIndexOf('.');
        String base = dot > 0 && !Files.isDirectory(path) ? file.substring(0, dot) : file;
        String cleaned = base.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        return cleaned.isEmpty() ? "model" : cleaned.length() > 128 ? cleaned.substring(0, 128) : cleaned;
    }

    private static long sizeOf(Path path) throws java.io.IOException {
        if (!Files.isDirectory(path)) {
            return Files.size(path);
        }
        try (var files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }
}
