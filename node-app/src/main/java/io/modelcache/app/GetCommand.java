package io.modelcache.app;

import io.modelcache.client.ModelCacheClient;
import io.modelcache.loader.LoadRequest;
import io.modelcache.loader.LoadedModel;
import io.modelcache.manifest.Manifest;
import io.modelcache.node.TransferStrategy;
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

/** Loads a model from the cluster and writes its files into a directory, checking every SHA-256. */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = "Load a model and write its files into a directory, checking every SHA-256.")
final class GetCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The model's name.")
    String name;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write the files into.")
    Path out;

    @Option(names = "--load", paramLabel = "STRATEGY",
        description = "Requests kept in flight: serial (one), parallel (every chunk at once) or bounded (P) "
            + "(default: modelcache.loader.strategy).")
    String strategy;

    @Option(names = "--parallelism", paramLabel = "P",
        description = "The bounded strategy's P: fetchers in the loader's router, 1..1024 "
            + "(default: modelcache.loader.parallelism).")
    Integer parallelism;

    @Mixin
    Cli.ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int loadParallelism = Cli.parallelism(parallelism);
        TransferStrategy loadStrategy;
        try {
            loadStrategy = strategy == null ? null : TransferStrategy.named("--load", strategy);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file, not a directory");
        }
        try (ModelCacheClient client = cluster.connect()) {
            Manifest manifest = Cli.await(client.find(name));
            ProgressBar bar = Cli.progressBar("get " + name, Math.max(1, manifest.totalBytes()));
            LoadRequest request = new LoadRequest(name, loadStrategy, loadParallelism, out, true,
                bar == null ? null : (done, total) -> bar.stepTo(done));
            try (LoadedModel model = Cli.await(client.load(request))) {
                if (bar != null) {
                    bar.close();
                }
                System.out.printf("loaded %s into %s: %d files, %s in %.2f s (%.0f MB/s, %s, P=%d, SHA-256 checked "
                        + "in %.2f s)%n", model.manifest().modelId(), out, model.manifest().files().size(),
                    Cli.megabytes(model.bytes()), model.seconds(), model.megabytesPerSecond(),
                    model.strategy().label(), model.parallelism(), model.verifySeconds());
            } finally {
                if (bar != null) {
                    bar.close();
                }
            }
        }
        return 0;
    }
}
