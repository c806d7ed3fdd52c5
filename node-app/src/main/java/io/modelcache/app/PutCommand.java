package io.modelcache.app;

import io.modelcache.client.ModelCacheClient;
import io.modelcache.writer.PutRequest;
import io.modelcache.writer.ModelPlan;
import io.modelcache.writer.PutResult;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

    @Option(names = "--parallelism", paramLabel = "P",
        description = "Chunks in flight, 1..1024 (default: modelcache.writer.parallelism).")
    Integer parallelism;

    @Mixin
    Cli.ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no such file or directory: " + path);
        }
        String modelName = name != null ? name : defaultName(path);
        ModelPlan.checkName(modelName);
        int storeParallelism = Cli.parallelism(parallelism);
        try (ModelCacheClient client = cluster.connect()) {
            ProgressBar bar = Cli.progressBar("put " + modelName, Math.max(1, sizeOf(path)));
            try {
                PutResult.Stored stored = Cli.await(client.put(new PutRequest(path, modelName, storeParallelism,
                    bar == null ? null : (done, total) -> bar.stepTo(done))));
                if (bar != null) {
                    bar.close();
                }
                System.out.println(stored.modelId());
                System.err.printf("%s %s: %d files, %d chunks, %s in %.2f s%n",
                    stored.alreadyStored() ? "already stored" : "stored", stored.modelId(), stored.files(),
                    stored.chunks(), Cli.megabytes(stored.bytes()), stored.seconds());
            } finally {
                if (bar != null) {
                    bar.close();
                }
            }
        }
        return 0;
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
