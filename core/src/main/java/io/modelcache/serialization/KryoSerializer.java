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
 * <p>The class id goes first on the wire, so no manifest is needed. A frame that names an unregistered id, is
 * cut short, claims more bytes than it holds, nests too deep or holds anything but a control message is
 * refused with an {@link IllegalArgumentException} naming the problem; Artery then drops that one message.
 * A Kryo instance whose read failed is dropped rather than returned to the pool, so no state of an aborted
 * read reaches the next message.
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
        Object message;
        try (Input input = new FrameInput(bytes)) {
            message = kryo.readClassAndObject(input);
        } catch (RuntimeException e) {
            // Whatever a serializer throws on these bytes (KryoException, IndexOutOfBounds, NegativeArraySize,
            // a record constructor's own check) is the frame's fault, not the member's.
            throw refused(bytes, e instanceof KryoException ? e.getMessage() : e.toString(), e);
        }
        kryos.free(kryo);
        if (!(message instanceof ControlMessage)) {
            throw refused(bytes, "it holds " + (message == null ? "null" : message.getClass().getName())
                + ", not a control message", null);
        }
        return message;
    }

    private static IllegalArgumentException refused(byte[] bytes, String reason, Throwable cause) {
        NotSerializableException refusal = new NotSerializableException("refused control message of "
            + bytes.length + " bytes: " + reason);
        refusal.initCause(cause);
        return new IllegalArgumentException(refusal);
    }

    /**
     * A frame's bytes, refusing a UTF-8 string whose character count exceeds the bytes left before Kryo
     * allocates a {@code char[]} of that count (2^31 characters failed with "Requested array size exceeds
     * VM limit"). ASCII strings need no check: Kryo grows their buffer as it reads them.
     */
    private static final class FrameInput extends Input {
        FrameInput(byte[] bytes) {
            super(bytes);
        }

        @Override
        public String readString() {
            int start = position();
            if (readVarIntFlag()) {
                long characters = readVarIntFlag(true) - 1L;
                long remaining = limit() - position();
                if (characters < -1 || characters > remaining) {
                    throw new KryoException("string of " + characters + " characters does not fit the " + remaining
                        + " bytes left in the frame");
                }
                setPosition(start);
            }
            return super.readString();
        }
    }
}
