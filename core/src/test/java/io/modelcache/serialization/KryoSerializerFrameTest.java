package io.modelcache.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.modelcache.manifest.ChunkEntry;
import io.modelcache.manifest.FileEntry;
import io.modelcache.manifest.Manifest;
import io.modelcache.manifest.ModelState;
import io.modelcache.manifest.TensorEntry;
import io.modelcache.node.TestMembers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Frames that a peer (or a broken network path) might hand to {@link KryoSerializer#fromBinary(byte[])}: each
 * is refused with an {@link IllegalArgumentException}, never a hang, a stack overflow or an out-of-memory error.
 *
 * <p>The hostile frames are written with a Kryo instance registered exactly like the serializer's own, so
 * they carry real class ids followed by lengths that lie.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KryoSerializerFrameTest {

    private ActorTestKit testKit;
    private KryoSerializer serializer;
    private final Kryo kryo = new Kryo();

    @BeforeAll
    void startMember() {
        testKit = ActorTestKit.create(TestMembers.dataMember(""));
        serializer = (KryoSerializer) SerializationExtension.get(Adapter.toClassic(testKit.system()))
            .serializerByIdentity().apply(KryoSerializer.IDENTIFIER);
        KryoRegistrations.register(kryo, () -> {
            throw new AssertionError("frames in this test hold no actor references");
        });
    }

    @AfterAll
    void stopMember() {
        testKit.shutdownTestKit();
    }

    @Test
    void rejectsEmptyFrame() {
        assertRefused(new byte[0]);
    }

    @Test
    void rejectsEveryTruncationOfAManifest() {
        byte[] whole = serializer.toBinary(manifest());

        for (int length = 0; length < whole.length; length++) {
            assertRefused(Arrays.copyOf(whole, length));
        }
        assertEquals(manifest(), serializer.fromBinary(whole));
    }

    @Test
    void rejectsRandomGarbage() {
        SplittableRandom random = new SplittableRandom(190_301);

        for (int i = 0; i < 2_000; i++) {
            byte[] garbage = new byte[1 + random.nextInt(64)];
            random.nextBytes(garbage);
            assertRefusedOrControlMessage(garbage);
        }
        assertEquals(manifest(), serializer.fromBinary(serializer.toBinary(manifest())));
    }

    @Test
    void rejectsRandomBytesAfterEveryRegisteredClassId() {
        SplittableRandom random = new SplittableRandom(190_302);
        int classes = 0;

        for (int id = 0; id < 1_000; id++) {
            if (kryo.getRegistration(id) == null) {
                continue;
            }
            classes++;
            Class<?> type = kryo.getRegistration(id).getType();
            for (int i = 0; i < 200; i++) {
                byte[] tail = new byte[random.nextInt(48)];
                random.nextBytes(tail);
                assertRefusedOrControlMessage(frame(out -> {
                    kryo.writeClass(out, type);
                    out.writeBytes(tail);
                }));
            }
        }

        assertTrue(classes > 20, "found only " + classes + " registered classes");
        assertEquals(manifest(), serializer.fromBinary(serializer.toBinary(manifest())));
    }

    @Test
    void rejectsUnregisteredClassId() {
        byte[] frame = frame(out -> out.writeVarInt(5_000 + 2, true));

        Throwable refusal = assertRefused(frame);

        assertTrue(refusal.getMessage().contains("5000"), refusal::getMessage);
    }

    @Test
    void rejectsFrameHoldingNull() {
        assertRefused(frame(out -> kryo.writeClassAndObject(out, null)));
    }

    @Test
    void rejectsFrameHoldingAValueThatIsNotAControlMessage() {
        Throwable refusal = assertRefused(frame(out -> kryo.writeClassAndObject(out, "hello")));

        assertTrue(refusal.getMessage().contains("java.lang.String"), refusal::getMessage);
    }

    @Test
    void rejectsLongArrayLengthBeyondFrame() {
        Throwable refusal = assertRefused(frame(out -> {
            kryo.writeClass(out, long[].class);
            out.writeVarInt(Integer.MAX_VALUE, true);
        }));

        assertTrue(refusal.getMessage().contains("long[] of 2147483646 elements does not fit"), refusal::getMessage);
    }

    @Test
    void rejectsNegativeLongArrayLength() {
        Throwable refusal = assertRefused(frame(out -> {
            kryo.writeClass(out, long[].class);
            out.writeVarInt(-7, true);
        }));

        assertTrue(refusal.getMessage().contains("long[] of -8 elements"), refusal::getMessage);
    }

    @Test
    void rejectsStringArrayLengthBeyondFrame() {
        Throwable refusal = assertRefused(frame(out -> {
            kryo.writeClass(out, String[].class);
            out.writeVarInt(Integer.MAX_VALUE, true);
        }));

        assertTrue(refusal.getMessage().contains("String[] of 2147483646 elements does not fit"), refusal::getMessage);
    }

    @Test
    void rejectsStringLengthBeyondFrame() {
        Throwable refusal = assertRefused(frame(out -> {
            kryo.writeClass(out, String.class);
            out.writeVarIntFlag(true, Integer.MAX_VALUE, true);
        }));

        assertTrue(refusal.getMessage().contains("string of 2147483646 characters does not fit"), refusal::getMessage);
    }

    @Test
    void rejectsImmutableListSizeBeyondFrame() {
        Throwable refusal = assertRefused(frame(out -> {
            kryo.writeClass(out, List.of(1, 2, 3).getClass());
            out.writeVarInt(Integer.MAX_VALUE, true);
        }));

        assertTrue(refusal.getMessage().contains("list of 2147483647 elements does not fit"), refusal::getMessage);
    }

    @Test
    void rejectsArrayListSizeBeyondFrame() {
        Throwable refusal = assertRefused(frame(out -> {
            kryo.writeClass(out, ArrayList.class);
            out.writeVarInt(Integer.MAX_VALUE, true);
        }));

        assertTrue(refusal.getMessage().contains("array list of"), refusal::getMessage);
    }

    @Test
    void rejectsListsNestedDeeperThanAnyMessage() {
        Throwable refusal = assertRefused(frame(out -> {
            for (int depth = 0; depth < 100_000; depth++) {
                kryo.writeClass(out, List.of(1).getClass());
                out.writeVarInt(1, true);
            }
            kryo.writeClassAndObject(out, null);
        }));

        assertTrue(refusal.getMessage().contains("Max depth exceeded"), refusal::getMessage);
    }

    private Throwable assertRefused(byte[] frame) {
        return assertThrows(IllegalArgumentException.class, () -> serializer.fromBinary(frame),
            () -> "frame " + Arrays.toString(Arrays.copyOf(frame, Math.min(frame.length, 32))) + " was accepted");
    }

    private void assertRefusedOrControlMessage(byte[] frame) {
        Object message;
        try {
            message = serializer.fromBinary(frame);
        } catch (IllegalArgumentException expected) {
            return;
        }
        assertTrue(message instanceof ControlMessage,
            () -> "frame " + Arrays.toString(frame) + " became " + message);
    }

    private static byte[] frame(Consumer<Output> writer) {
        try (Output out = new Output(64, -1)) {
            writer.accept(out);
            return out.toBytes();
        }
    }

    private static Manifest manifest() {
        return new Manifest("model", "0123456789abcdef", ModelState.READY, "hash", 2, 4 << 20,
            List.of(new FileEntry("a.safetensors", 123, "00".repeat(32)), new FileEntry("b.json", 7, "11".repeat(32))),
            List.of(new TensorEntry(0, "w", "F32", new long[] {3, 4}, 8, 48)),
            List.of(new ChunkEntry(0, 0, 123, 42, 0), new ChunkEntry(1, 0, 7, 43, 1)), 1_700_000_000_000L);
    }
}
