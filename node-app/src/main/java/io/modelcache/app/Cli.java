package io.modelcache.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.modelcache.client.ModelCacheClient;
import io.modelcache.client.ModelCacheException;
import io.modelcache.node.Failures;
import io.modelcache.node.ModelCacheSettings;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** What the commands share: connection options, waiting for answers, progress bars, one-line errors. */
final class Cli {
    private Cli() {
    }

    /** Options of every command that talks to a cluster. */
    static final class ClusterOptions {
        @Option(names = "--seed", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:25520",
            description = "A member of the cluster to join (default: ${DEFAULT-VALUE}).")
        String seed;

        @Option(names = "--config", paramLabel = "FILE", description = "HOCON file overriding the defaults.")
        Path config;

        ModelCacheClient connect() throws Exception {
            return ModelCacheClient.connect(hostOf(seed), List.of(seed), loadConfig(config));
        }
    }

    /** @return the host part of {@code HOST:PORT}, for binding the client on the same interface */
    static String hostOf(String seed) {
        int colon = seed.lastIndexOf(':');
        return colon > 0 ? seed.substring(0, colon) : seed;
    }

    /**
     * @return the file's settings, or empty settings when {@code file} is {@code null}
     * @throws IllegalArgumentException naming the file when it is missing or not valid HOCON
     */
    static Config loadConfig(Path file) {
        if (file == null) {
            return ConfigFactory.empty();
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("config file " + file + " does not exist");
        }
        try {
            return ConfigFactory.parseFile(file.toFile());
        } catch (ConfigException e) {
            throw new IllegalArgumentException("config file " + file + " is not valid HOCON: " + e.getMessage());
        }
    }

    /**
     * Parses a size such as {@code 4GiB}, {@code 512MiB} or {@code 1000000}.
     *
     * @throws IllegalArgumentException naming the option and the value
     */
    static long parseBytes(String option, String value) {
        try {
            long bytes = ConfigFactory.parseString("v = \"" + value.replace("\"", "") + "\"").getBytes("v");
            if (bytes <= 0) {
                throw new IllegalArgumentException(option + " " + value + " must be greater than 0 bytes");
            }
            return bytes;
        } catch (ConfigException e) {
            throw new IllegalArgumentException(option + " '" + value + "' is not a size such as 4GiB or 512MiB");
        }
    }

    /**
     * @param parallelism the {@code --parallelism} option, or {@code null} when not given
     * @return the value to request: 0 takes the configured default
     * @throws IllegalArgumentException naming the value and the range when it is outside 1..1024
     */
    static int parallelism(Integer parallelism) {
        if (parallelism == null) {
            return 0;
        }
        ModelCacheSettings.checkParallelism("--parallelism", parallelism);
        return parallelism;
    }

    /** Waits for a stage and unwraps its failure into an exception with a one-line message. */
    static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw new ModelCacheException(Failures.describe(e));
        }
    }

    /** @return a progress bar when standard output is a terminal, else {@code null} */
    static ProgressBar progressBar(String task, long totalBytes) {
        if (System.console() == null || !System.console().isTerminal()) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(totalBytes).setUnit("MB", 1_000_000)
            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).build();
    }

    /** @return {@code bytes} in MB (10^6) with one decimal */
    static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }
}
