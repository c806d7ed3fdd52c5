package io.modelcache.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcache.dataplane.DataRoute;
import io.modelcache.dataplane.Ticket;
import io.modelcache.manifest.ChunkEntry;
import io.modelcache.manifest.FileEntry;
import io.modelcache.manifest.Manifest;
import io.modelcache.manifest.ModelState;
import io.modelcache.manifest.TensorEntry;
import io.modelcache.node.NodeAgent;
import io.modelcache.node.TestMembers;
import io.modelcache.partition.PartitionEntity;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every control message through the serialization of an actor system configured like a member: the
 * binding picks Kryo, and what comes back equals what went in, actor references included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ControlMessageSerializationTest {

    /** Declared here, so it is a control message that no one registered with Kryo. */
    record NotRegistered(String name) implements ControlMessage {
    }

    private ActorTestKit testKit;
    private Serialization serialization;

    @BeforeAll
    void startMember() {
        testKit = ActorTestKit.create(TestMembers.dataMember(""));
        serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    }

    @AfterAll
    void stopMember() {
        testKit.shutdownTestKit();
    }

    Stream<Named<ControlMessage>> messages() {
        ActorRef<PartitionEntity.Located> located = testKit.<PartitionEntity.Located>createTestProbe().ref();
        ActorRef<PartitionEntity.Command> partition = testKit.<PartitionEntity.Command>createTestProbe().ref();
        ActorRef<PartitionEntity.FetchReply> fetcher = testKit.<PartitionEntity.FetchReply>createTestProbe().ref();
        ActorRef<PartitionEntity.PartitionDropped> dropper =
            testKit.<PartitionEntity.PartitionDropped>createTestProbe().ref();
        ActorRef<PartitionEntity.PartitionInfo> asker = testKit.<PartitionEntity.PartitionInfo>createTestProbe().ref();
        ActorRef<NodeAgent.NodeStatus> status = testKit.<NodeAgent.NodeStatus>createTestProbe().ref();
        ActorRef<PartitionEntity.TicketIssued> issued = testKit.<PartitionEntity.TicketIssued>createTestProbe().ref();
        DataRoute route = new DataRoute("tcp", "127.0.0.1", 40123, new Ticket(-1L, Long.MIN_VALUE));
        String address = "pekko://modelcache@127.0.0.1:25520";

        return Stream.of(
            Named.of("Manifest READY with many files, tensors and chunks", manifest(ModelState.READY, 3)),
            Named.of("Manifest STAGING with one of each", manifest(ModelState.STAGING, 1)),
            Named.of("Manifest DELETING with two of each", manifest(ModelState.DELETING, 2)),
            Named.of("Manifest with empty lists", new Manifest("empty", "0", ModelState.READY, "hash", 1, 4096,
                List.of(), List.of(), List.of(), 0)),
            Named.of("Manifest placed at random with a negative seed, two replicas", new Manifest("random",
                "0123456789abcdef",
                ModelState.READY, "random", Long.MIN_VALUE + 7, 3, 2, 4096, List.of(),
                List.of(), List.of(new ChunkEntry(0, 0, 4096, 1, 2), new ChunkEntry(0, 4096, 10, 2, 0)), 1)),
            Named.of("FileEntry", new FileEntry("dir/model.safetensors", 1L << 40, "ab".repeat(32))),
            Named.of("TensorEntry of a scalar", new TensorEntry(0, "scale", "F32", new long[0], 8, 4)),
            Named.of("TensorEntry of a matrix", new TensorEntry(2, "w", "BF16", new long[] {384, 1536}, 64, 1179648)),
            Named.of("ChunkEntry", new ChunkEntry(1, 4L << 20, 4 << 20, 0xFFFF_FFFFL, 7)),
            Named.of("Locate", new PartitionEntity.Locate(located)),
            Named.of("Located", new PartitionEntity.Located("m@v#0", partition, address)),
            Named.of("ChunkStored", new PartitionEntity.ChunkStored(12, 0x8000_0001L)),
            Named.of("StoreRefused", new PartitionEntity.StoreRefused(12, "memory budget is full")),
            Named.of("GetChunk", new PartitionEntity.GetChunk(Long.MAX_VALUE, 3, 1, 1L << 33, fetcher)),
            Named.of("ChunkUnavailable", new PartitionEntity.ChunkUnavailable(-1, 3, "not held")),
            Named.of("DropPartition", new PartitionEntity.DropPartition(dropper)),
            Named.of("PartitionDropped", new PartitionEntity.PartitionDropped("m@v#0", 5, 20L << 20)),
            Named.of("GetPartitionInfo", new PartitionEntity.GetPartitionInfo(asker)),
            Named.of("PartitionInfo", new PartitionEntity.PartitionInfo("m@v#1", address, 2, 8L << 20)),
            Named.of("IssueTicket", new PartitionEntity.IssueTicket(Long.MIN_VALUE, address, issued)),
            Named.of("TicketIssued with a route", new PartitionEntity.TicketIssued("m@v#2", route, null)),
            Named.of("TicketIssued refused", new PartitionEntity.TicketIssued("m@v#2", null, "serves no data port")),
            Named.of("Ticket", Ticket.random()),
            Named.of("DataRoute", route),
            Named.of("GetNodeStatus", new NodeAgent.GetNodeStatus(status)),
            Named.of("NodeStatus", new NodeAgent.NodeStatus(address, List.of("data", "dc-default"), 1, 2, 3, 4, 5,
                6)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void roundTripsThroughKryo(ControlMessage message) {
        Serializer serializer = serialization.findSerializerFor(message);

        byte[] bytes = serialization.serialize(message).get();
        Object back = serialization.deserialize(bytes, serializer.identifier(), "").get();

        assertEquals(KryoSerializer.IDENTIFIER, serializer.identifier());
        assertInstanceOf(KryoSerializer.class, serializer);
        assertEquals(message, back);
    }

    @Test
    void manifestRoundTripsInsideReplicatedRegistryMap() {
        SelfUniqueAddress self = new SelfUniqueAddress(Cluster.get(testKit.system()).selfMember().uniqueAddress());
        LWWMap<String, Manifest> map = LWWMap.<String, Manifest>empty()
            .put(self, "model", manifest(ModelState.READY, 2));
        Serializer serializer = serialization.findSerializerFor(map);
        String manifest = Serializers.manifestFor(serializer, map);

        byte[] bytes = serialization.serialize(map).get();
        Object back = serialization.deserialize(bytes, serializer.identifier(), manifest).get();

        assertEquals(map.getEntries(), ((LWWMap<?, ?>) back).getEntries());
    }

    @Test
    void everyControlMessageClassHasARoundTripCase() throws IOException, URISyntaxException {
        Set<Class<?>> covered = new HashSet<>();
        messages().forEach(named -> collectClasses(named.getPayload(), covered));

        Set<Class<?>> declared = controlMessageClasses();

        assertTrue(covered.containsAll(declared), () -> "no round-trip case for " + without(declared, covered));
    }

    @Test
    void refusesControlMessageNotRegisteredWithKryo() {
        NotRegistered message = new NotRegistered("x");

        Throwable refusal = assertThrows(IllegalArgumentException.class,
            () -> serialization.serialize(message).get());

        assertEquals(KryoSerializer.IDENTIFIER, serialization.findSerializerFor(message).identifier());
        assertTrue(refusal.getMessage().contains(NotRegistered.class.getName()), refusal::getMessage);
    }

    private static void collectClasses(ControlMessage message, Set<Class<?>> classes) {
        classes.add(message.getClass());
        if (message instanceof Manifest manifest) {
            manifest.files().forEach(file -> classes.add(file.getClass()));
            manifest.tensors().forEach(tensor -> classes.add(tensor.getClass()));
            manifest.chunks().forEach(chunk -> classes.add(chunk.getClass()));
        }
    }

    /** Every concrete class of the main code that implements {@link ControlMessage}, found on disk. */
    private static Set<Class<?>> controlMessageClasses() throws IOException, URISyntaxException {
        Path root = Path.of(ControlMessage.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<Class<?>> classes = new HashSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = load(name);
                if (type != null && ControlMessage.class.isAssignableFrom(type) && !type.isInterface()) {
                    classes.add(type);
                }
            }
        }
        return classes;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ControlMessage.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static Set<Class<?>> without(Set<Class<?>> all, Set<Class<?>> some) {
        Set<Class<?>> rest = new HashSet<>(all);
        rest.removeAll(some);
        return rest;
    }

    private static Manifest manifest(ModelState state, int count) {
        List<FileEntry> files = Stream.iterate(0, i -> i + 1).limit(count)
            .map(i -> new FileEntry("model-" + i + ".safetensors", 1000L + i, Integer.toHexString(i).repeat(64)))
            .toList();
        List<TensorEntry> tensors = Stream.iterate(0, i -> i + 1).limit(count)
            .map(i -> new TensorEntry(i, "layer." + i + ".weight", "F16", new long[] {i + 1, 2}, 8, 4L * (i + 1)))
            .toList();
        List<ChunkEntry> chunks = Stream.iterate(0, i -> i + 1).limit(count)
            .map(i -> new ChunkEntry(i, 0, 1000 + i, 0xCAFE_0000L + i, i % 2))
            .toList();
        return new Manifest("model", "0123456789abcdef", state, "hash", 2, 4 << 20, files, tensors, chunks,
            1_700_000_000_000L);
    }
}
