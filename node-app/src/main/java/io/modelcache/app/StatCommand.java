package io.modelcache.app;

import io.modelcache.client.ModelCacheClient;
import io.modelcache.client.ModelStat;
import io.modelcache.manifest.FileEntry;
import io.modelcache.manifest.Manifest;
import io.modelcache.manifest.TensorEntry;
import io.modelcache.partition.PartitionEntity.PartitionInfo;
import io.modelcache.placement.RandomPlacement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;

/** Shows one model: files, tensors, chunks, partitions and the bytes each node holds. */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Show a model's files, tensors, chunks and the bytes each node holds.")
final class StatCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The model's name.")
    String name;

    @Option(names = "--tensors", paramLabel = "N", defaultValue = "20",
        description = "Tensors to list (default: ${DEFAULT-VALUE}).")
    int tensorsToList;

    @Mixin
    Cli.ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        try (ModelCacheClient client = cluster.connect()) {
            ModelStat stat = Cli.await(client.stat(name));
            Manifest manifest = stat.manifest();
            System.out.printf("model      %s (%s)%n", manifest.modelId(), manifest.state());
            System.out.printf("bytes      %d%nchunks     %d of at most %d bytes%npartitions %d x %d replicas "
                    + "(placement %s%s)%n",
                manifest.totalBytes(), manifest.chunks().size(), manifest.chunkSizeBytes(),
                manifest.partitionCount(), manifest.replicas(), manifest.placement(),
                RandomPlacement.NAME.equals(manifest.placement()) ? ", seed " + manifest.placementSeed() : "");
            System.out.println("files");
            for (FileEntry file : manifest.files()) {
                System.out.printf("  %-48s %14d  sha256 %s%n", file.path(), file.sizeBytes(), file.sha256Hex());
            }
            System.out.printf("tensors    %d%n", manifest.tensors().size());
            manifest.tensors().stream().limit(tensorsToList).forEach(StatCommand::printTensor);
            System.out.println("partitions (partition.replica, node, chunks, bytes)");
            for (PartitionInfo partition : stat.partitions()) {
                System.out.printf("  %-40s %-40s %6d %14d%n", partition.entityId(), partition.nodeAddress(),
                    partition.chunks(), partition.bytes());
            }
            System.out.printf("bytes per node (balance %.2f: the largest node over the mean)%n", stat.balance());
            for (Map.Entry<String, Long> node : stat.bytesByNode().entrySet()) {
                System.out.printf("  %-40s %14d%n", node.getKey(), node.getValue());
            }
            if (!stat.unanswered().isEmpty()) {
                System.out.println("partitions that did not answer: " + stat.unanswered());
            }
        }
        return 0;
    }

    private static void printTensor(TensorEntry tensor) {
        System.out.printf("  %-48s %-5s %-20s %12d bytes%n", tensor.name(), tensor.dtype(),
            Arrays.toString(tensor.shape()), tensor.lengthBytes());
    }
}
