package io.modelcache.timing;

import io.modelcache.client.ModelCacheClient;
import io.modelcache.client.ModelStat;
import io.modelcache.loader.LoadRequest;
import io.modelcache.loader.LoadedModel;
import io.modelcache.node.TransferStrategy;
import io.modelcache.testkit.LocalCluster;
import io.modelcache.testkit.Models;
import io.modelcache.timing.TimeModel.Observation;
import io.modelcache.timing.TimeModel.Transfer;
import io.modelcache.writer.PutRequest;
import io.modelcache.writer.PutResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Store and load times of the 133 MB model on three data nodes in one JVM (the TCP data plane on loopback), for
 * every store strategy, every load strategy at P = 1, 2, 4, 8, 16, and the node balance of every placement,
 * with the time model fitted to the measurements printed beside them. Not a test; run it by hand, alone on the
 * machine, after {@code ./mvnw -q -o install -DskipTests}:
 *
 * <pre>
 * ./mvnw -q -o -pl core dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -cp core/target/classes:core/target/test-classes:$(cat core/cp.txt) --enable-native-access=ALL-UNNAMED \
 *   --sun-misc-unsafe-memory-access=allow --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
 *   -XX:MaxDirectMemorySize=4g -Dmodelcache.models.dir=target/models -Dlogback.configurationFile=config/logback.xml \
 *   io.modelcache.timing.StrategiesBench [rounds]
 * </pre>
 */
public final class StrategiesBench {
    private static final int[] PARALLELISMS = {1, 2, 4, 8, 16};
    private static final int NODES = 3;

    private StrategiesBench() {
    }

    /** @param args measured rounds per point, the median reported (default 3) */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path model = Models.bgeSmall();
        try (LocalCluster cluster = LocalCluster.builder().dataNodes(NODES).start()) {
            ModelCacheClient client = cluster.client();
            System.out.println("placement balance (largest node's bytes over the mean, 24 partitions)");
            for (String placement : List.of("hash", "range", "random")) {
                await(client.put(PutRequest.of(model, "balance-" + placement).withPlacement(placement)
                    .withPartitions(24)));
                ModelStat stat = await(client.stat("balance-" + placement));
                System.out.printf(Locale.ROOT, "  %-7s %.3f  %s%n", placement, stat.balance(),
                    stat.bytesByNode().values());
                await(client.remove("balance-" + placement));
            }

            List<Observation> stores = new ArrayList<>();
            System.out.println("store (12 partitions, bounded P = 8)");
            PutResult.Stored stored = null;
            for (TransferStrategy strategy : TransferStrategy.values()) {
                double[] seconds = new double[rounds];
                for (int round = 0; round < rounds; round++) {
                    stored = await(client.put(PutRequest.of(model, "m").withStoreStrategy(strategy)));
                    seconds[round] = stored.seconds();
                    await(client.remove("m"));
                }
                Transfer transfer = new Transfer(strategy, stored.parallelism(), NODES, stored.bytes(),
                    stored.chunks() * stored.replicas());
                stores.add(new Observation(transfer, median(seconds)));
            }
            stored = await(client.put(PutRequest.of(model, "m")));
            List<Observation> loads = new ArrayList<>();
            for (TransferStrategy strategy : TransferStrategy.values()) {
                for (int parallelism : strategy == TransferStrategy.BOUNDED ? PARALLELISMS : new int[] {1}) {
                    double[] seconds = new double[rounds];
                    for (int round = -1; round < rounds; round++) { // one warm-up
                        try (LoadedModel loaded = await(client.load(LoadRequest.intoMemory("m").withStrategy(strategy)
                            .withParallelism(parallelism)))) {
                            if (round >= 0) {
                                seconds[round] = loaded.transferSeconds();
                            }
                        }
                    }
                    int inFlight = strategy.inFlight(parallelism, stored.chunks());
                    Transfer transfer = new Transfer(strategy, parallelism, NODES, stored.bytes(),
                        TimeModel.loadRequests(stored.chunks(), inFlight, 8));
                    loads.add(new Observation(transfer, median(seconds)));
                }
            }
            print("store", stores);
            print("load (transfer seconds, CRC32C included)", loads);
        }
    }

    private static void print(String what, List<Observation> observations) {
        TimeModel model = TimeModel.fit(observations);
        System.out.printf(Locale.ROOT, "%s: time model %s, rms log miss %.3f%n", what, model,
            model.logError(observations));
        System.out.println("  strategy   P  requests  measured s  predicted s  miss");
        for (Observation observation : observations) {
            Transfer transfer = observation.transfer();
            double predicted = model.seconds(transfer);
            double miss = predicted / observation.seconds() - 1;
            System.out.printf(Locale.ROOT, "  %-8s %3d  %8d  %10.3f  %11.3f  %+4.0f%%%s%n", transfer.strategy().label(),
                transfer.inFlight(), transfer.requests(), observation.seconds(), predicted, miss * 100,
                Math.abs(miss) > 0.2 ? "  > 20%" : "");
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.MINUTES);
    }
}
