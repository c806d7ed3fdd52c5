package io.modelcache.partition;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;

import java.lang.reflect.Method;
import java.util.HexFormat;
import java.util.Random;

/**
 * What one shard per partition replica costs the shard coordinator, for the numbers quoted in the docs: the
 * coordinator keeps every allocation in one Distributed Data value and writes it whole on every allocation.
 * This builds that value (Pekko's internal {@code ShardCoordinator.Internal.State}, reached by reflection) for
 * models of 256 partitions × 3 replicas spread over 64 regions, and prints its serialized size (Pekko gzips it)
 * and the best of 30 serializations. Not a test; run it by hand, alone on the machine:
 *
 * <pre>
 * java -cp core/target/classes:core/target/test-classes:$(cat cp.txt) io.modelcache.partition.CoordinatorStateBench
 * </pre>
 */
public final class CoordinatorStateBench {
    private static final String INTERNAL = "org.apache.pekko.cluster.sharding.ShardCoordinator$Internal$";
    private static final int REGIONS = 64;
    private static final int PARTITIONS = 256;
    private static final int REPLICAS = 3;

    private CoordinatorStateBench() {
    }

    /** @param args ignored */
    public static void main(String[] args) throws Exception {
        ActorSystem system = ActorSystem.create("modelcache", ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.port = 0
                pekko.loglevel = WARNING""").withFallback(ConfigFactory.load()));
        try {
            ActorRef[] regions = new ActorRef[REGIONS];
            for (int i = 0; i < REGIONS; i++) {
                regions[i] = ((ExtendedActorSystem) system).provider()
                    .resolveActorRef("pekko://modelcache@10.0.0." + (i + 10) + ":25520/system/sharding/partition");
            }
            Serialization serialization = SerializationExtension.get(system);
            for (int shards : new int[] {256, 1_000, 5_000, 20_000, 50_000}) {
                Object state = stateWith(shards, regions);
                int bytes = serialization.serialize(state).get().length;
                long bestNs = Long.MAX_VALUE;
                for (int round = 0; round < 30; round++) {
                    long startNs = System.nanoTime();
                    serialization.serialize(state).get();
                    bestNs = Math.min(bestNs, System.nanoTime() - startNs);
                }
                System.out.printf("shards %6d: %7d bytes (%.1f per shard), serialized in %6.1f ms%n", shards, bytes,
                    bytes / (double) shards, bestNs / 1e6);
            }
        } finally {
            system.terminate();
        }
    }

    private static Object stateWith(int shards, ActorRef[] regions) throws Exception {
        Object state = internal("State$", null);
        state = state.getClass().getMethod("empty").invoke(state);
        for (ActorRef region : regions) {
            state = updated(state, internal("ShardRegionRegistered", new Class<?>[] {ActorRef.class}, region));
        }
        Random random = new Random(42);
        int allocated = 0;
        for (int model = 0; allocated < shards; model++) {
            String modelId = "llama-3-8b-instruct-" + model + "@" + HexFormat.of().toHexDigits(random.nextLong());
            for (int p = 0; p < PARTITIONS && allocated < shards; p++) {
                for (int r = 0; r < REPLICAS && allocated < shards; r++, allocated++) {
                    String shard = new PartitionId(modelId, p, r).format();
                    state = updated(state, internal("ShardHomeAllocated", new Class<?>[] {String.class, ActorRef.class},
                        shard, regions[allocated % regions.length]));
                }
            }
        }
        return state;
    }

    /** @return an instance of an internal class; with {@code types == null}, the Scala object's instance */
    private static Object internal(String className, Class<?>[] types, Object... args) throws Exception {
        Class<?> type = Class.forName(INTERNAL + className);
        if (types == null) {
            return type.getField("MODULE$").get(null);
        }
        return type.getConstructor(types).newInstance(args);
    }

    private static Object updated(Object state, Object event) throws Exception {
        for (Method method : state.getClass().getMethods()) {
            if (method.getName().equals("updated")) {
                return method.invoke(state, event);
            }
        }
        throw new NoSuchMethodException("State.updated");
    }
}
