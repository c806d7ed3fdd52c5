package io.modelcache.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
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
 */
public final class KryoRegistrations {

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

        kryo.register(NodeAgent.GetNodeStatus.class, 300);
        kryo.register(NodeAgent.NodeStatus.class, 301);
    }

    private static void registerCollections(Kryo kryo) {
        ImmutableListSerializer lists = new ImmutableListSerializer();
        kryo.register(List.of().getClass(), lists, 110);
        kryo.register(List.of(1).getClass(), lists, 111);
        kryo.register(List.of(1, 2, 3).getClass(), lists, 112);
        kryo.register(ArrayList.class, 113);
        kryo.register(long[].class, 114);
        kryo.register(String[].class, 115);
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
            Object[] elements = new Object[size];
            for (int i = 0; i < size; i++) {
                elements[i] = kryo.readClassAndObject(input);
            }
            return List.of(elements);
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
