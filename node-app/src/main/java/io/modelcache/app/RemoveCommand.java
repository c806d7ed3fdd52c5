package io.modelcache.app;

import io.modelcache.client.ModelCacheClient;
import io.modelcache.writer.ModelWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** Removes a model and frees its memory on every node. */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a model and free its memory.")
final class RemoveCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The model's name.")
    String name;

    @Mixin
    Cli.ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        try (ModelCacheClient client = cluster.connect()) {
            ModelWriter.Removed removed = Cli.await(client.remove(name));
            System.out.printf("removed %s: freed %d chunks, %d bytes%n", removed.modelId(), removed.chunks(),
                removed.bytes());
        }
        return 0;
    }
}
