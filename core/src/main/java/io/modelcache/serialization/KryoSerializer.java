package io.modelcache.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.JSerializer;

import java.io.NotSerializableException;

/**
 * Pekko serializer for {@link ControlMessage}s: Kryo with every class registered under a fixed id.
 *
 * <p>The class id goes first on the wire, so no manifest is needed. A frame that names an unregistered id or
 * is cut short is refused with an exception naming the problem; Artery then drops that one message.
 */
public final class KryoSerializer extends JSerializer {
    /** This serializer's id among the actor system's serializers. */
    public static final int IDENTIFIER = 190_301;

    private final Pool<Kryo> kryos;
    private volatile ActorRefResolver resolver;

    /** @param system the actor system this serializer belongs to */
    public KryoSerializer(ExtendedActorSystem system) {
        this.kryos = new Pool<>(true, false, 32) {
            @Override
            protected Kryo create() {
                Kryo kryo = new Kryo();
                KryoRegistrations.register(kryo, () -> resolver(system));
                return kryo;
            }
        };
    }

    private ActorRefResolver resolver(ExtendedActorSystem system) {
        ActorRefResolver current = resolver;
        if (current == null) {
            current = ActorRefResolver.get(Adapter.toTyped(system));
            resolver = current;
        }
        return current;
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public boolean includeManifest() {
        return false;
    }

    @Override
    public byte[] toBinary(Object message) {
        Kryo kryo = kryos.obtain();
        try (Output output = new Output(256, -1)) {
            kryo.writeClassAndObject(output, message);
            return output.toBytes();
        } catch (KryoException e) {
            throw new IllegalArgumentException("cannot serialize " + message.getClass().getName() + ": "
                + e.getMessage(), e);
        } finally {
            kryos.free(kryo);
        }
    }

    @Override
    public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
        Kryo kryo = kryos.obtain();
        try (Input input = new Input(bytes)) {
            return kryo.readClassAndObject(input);
        } catch (KryoException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(new NotSerializableException("refused control message of "
                + bytes.length + " bytes: " + e.getMessage()));
        } finally {
            kryos.free(kryo);
        }
    }
}
