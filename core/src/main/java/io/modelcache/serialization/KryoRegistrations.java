package io.modelcache.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers;
import io.modelcache.dataplane.DataRoute;
import io.modelcache.dataplane.Ticket;
import io.modelcache.manifest.ChunkEntry;
import io.modelcache.manifest.FileEntry;
import io.modelcache.manifest.Manifest;
import io.modelcache.manifest.ModelState;
import io.modelcache.manifest.TensorEntry;
import io.modelcache.node.NodeAgent;
import io.modelcache.partition.PartitionEntity;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every class Kryo may write, each under a fixed id. Ids are part of the wire format between members of
 * one cluster: never reuse or renumber one; add new classes with new ids.
 *
 * <p>Reading is hardened against frames that lie: an array or list whose element count exceeds the bytes
 * left in the frame is refused before anything is allocated (every element takes at least one byte), and
 * so is an object graph deeper than {@link #MAX_DEPTH}. Without this, a count of 2^31 made Kryo allocate
 * an array past the VM limit, and 100,000 nested lists overflowed the stack. String lengths are checked
 * by the serializer's own {@link Input} ({@code KryoSerializer.FrameInput}).
 */
public final class KryoRegistrations {
    /**
     * The deepest object graph accepted. The deepest message today is 4 (manifest, list, entry, string);
     * the margin leaves room for new messages without letting a frame recurse until the stack runs out.
     */
    static final int MAX_DEPTH = 32;

    private KryoRegistrations() {
    }

    /**
     * Registers every class and sets Kryo to refuse any other.
     *
     * @param kryo a fresh Kryo instance
     * @param resolver resolves actor references of the local actor system, looked up when first needed
     */
    public static void register(Kryo kryo, Supplier<ActorRefResolver> resolver) {
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.setMaxDepth(MAX_DEPTH);

        registerCollections(kryo);
        kryo.register(actorRefClass(), new ActorRefSerializer(resolver), 120);

        kryo.register(ModelState.class, 100);
        kryo.register(Manifest.class, 101);
        kryo.register(FileEntry.class, 102);
        kryo.register(TensorEntry.class, 103);
        kryo.register(ChunkEntry.class, 104);

        kryo.register(PartitionEntity.Locate.class, 200);
        kryo.register(PartitionEntity.Located.class, 201);
        kryo.register(PartitionEntity.ChunkStored.class, 202);
        kryo.register(PartitionEntity.StoreRefused.class, 203);
        kryo.register(PartitionEntity.GetChunk.class, 204);
        kryo.register(PartitionEntity.ChunkUnavailable.class, 205);
        kryo.register(PartitionEntity.DropPartition.class, 206);
        kryo.register(PartitionEntity.PartitionDropped.class, 207);
        kryo.register(PartitionEntity.GetPartitionInfo.class, 208);
        kryo.register(PartitionEntity.PartitionInfo.class, 209);

        kryo.register(PartitionEntity.IssueTicket.class, 210);
        kryo.register(PartitionEntity.TicketIssued.class, 211);
        kryo.register(Ticket.class, 220);
        kryo.register(DataRoute.class, 221);

        kryo.register(NodeAgent.GetNodeStatus.class, 300);
        kryo.register(NodeAgent.NodeStatus.class, 301);
    }

    private static void registerCollections(Kryo kryo) {
        ImmutableListSerializer lists = new ImmutableListSerializer();
        kryo.register(List.of().getClass(), lists, 110);
        kryo.register(List.of(1).getClass(), lists, 111);
        kryo.register(List.of(1, 2, 3).getClass(), lists, 112);
        kryo.register(ArrayList.class, new ArrayListSerializer(), 113);
        kryo.register(long[].class,
            new CountCheckedArraySerializer<>(new DefaultArraySerializers.LongArraySerializer()), 114);
        kryo.register(String[].class,
            new CountCheckedArraySerializer<>(new DefaultArraySerializers.StringArraySerializer()), 115);
    }

    /**
     * Refuses a frame that claims more elements than it has bytes left, each element taking at least one.
     *
     * @throws KryoException naming the count and the bytes left
     */
    static void requireElements(Input input, long count, String what) {
        long remaining = input.limit() - input.position();
        if (count < 0 || count > remaining) {
            throw new KryoException(what + " of " + count + " elements does not fit the " + remaining
                + " bytes left in the frame");
        }
    }

    private static Class<?> actorRefClass() {
        try {
            return Class.forName("org.apache.pekko.actor.typed.internal.adapter.ActorRefAdapter");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Pekko's typed ActorRefAdapter class is missing from the class path", e);
        }
    }

    /** Writes immutable lists ({@code List.of}, {@code List.copyOf}) as a size and elements. */
    private static final class ImmutableListSerializer extends Serializer<List<?>> {
        ImmutableListSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, List<?> list) {
            output.writeVarInt(list.size(), true);
            for (Object element : list) {
                kryo.writeClassAndObject(output, element);
            }
        }

        @Override
        public List<?> read(Kryo kryo, Input input, Class<? extends List<?>> type) {
            int size = input.readVarInt(true);
            requireElements(input, size, "list");
            Object[] elements = new Object[size];
            for (int i = 0; i < size; i++) {
                elements[i] = kryo.readClassAndObject(input);
            }
            return List.of(elements);
        }
    }

    /** Kryo's own {@link ArrayList} format, with the size checked against the frame before allocating. */
    private static final class ArrayListSerializer extends CollectionSerializer<ArrayList<Object>> {
        @Override
        protected ArrayList<Object> create(Kryo kryo, Input input, Class<? extends ArrayList<Object>> type,
                                           int size) {
            requireElements(input, size, "array list");
            return new ArrayList<>(size);
        }
    }

    /**
     * Kryo's own array format (element count + 1, 0 for null, then the elements), with the count checked
     * against the frame before the delegate allocates the array.
     */
    private static final class CountCheckedArraySerializer<T> extends Serializer<T> {
        private final Serializer<T> delegate;

        CountCheckedArraySerializer(Serializer<T> delegate) {
            super(true);
            this.delegate = delegate;
        }

        @Override
        public void write(Kryo kryo, Output output, T array) {
            delegate.write(kryo, output, array);
        }

        @Override
        public T read(Kryo kryo, Input input, Class<? extends T> type) {
            int start = input.position();
            int countPlusOne = input.readVarInt(true);
            if (countPlusOne != 0) {
                requireElements(input, countPlusOne - 1L, type.getSimpleName());
            }
            input.setPosition(start);
            return delegate.read(kryo, input, type);
        }
    }

    /** Writes a typed actor reference as its serialization format string. */
    private static final class ActorRefSerializer extends Serializer<ActorRef<?>> {
        private final Supplier<ActorRefResolver> resolver;

        ActorRefSerializer(Supplier<ActorRefResolver> resolver) {
            this.resolver = resolver;
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, ActorRef<?> ref) {
            output.writeString(resolver.get().toSerializationFormat(ref));
        }

        @Override
        public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
            return resolver.get().resolveActorRef(input.readString());
        }
    }
}
