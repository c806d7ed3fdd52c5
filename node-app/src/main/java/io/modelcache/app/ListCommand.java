package io.modelcache.app;

import io.modelcache.client.ModelCacheClient;
import io.modelcache.manifest.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.concurrent.Callable;

/** Lists the models the cluster knows. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List the stored models.")
final class ListCommand implements Callable<Integer> {

    @Mixin
    Cli.ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        try (ModelCacheClient client = cluster.connect()) {
            List<Manifest> models = Cli.await(client.list());
            System.out.printf("%-32s %-16s %-8s %6s %8s %14s%n", "NAME", "VERSION", "STATE", "FILES", "CHUNKS",
                "BYTES");
            for (Manifest model : models) {
                System.out.printf("%-32s %-16s %-8s %6d %8d %14d%n", model.name(), model.version(), model.state(),
                    model.files().size(), model.chunks().size(), model.totalBytes());
            }
        }
        return 0;
    }
}
