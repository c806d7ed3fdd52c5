package io.modelcache.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SafetensorsWriter: valid files that read back exactly, the deterministic data pattern, raw files. */
class SafetensorsWriterTest {

    private static final long SEED = 42;

    @TempDir
    Path dir;

    @Test
    void roundTripsSeveralDtypesWithScalarAndZeroElementTensor() throws Exception {
        List<TensorSpec> specs = List.of(
                new TensorSpec("embed.weight", DType.F32, new long[] {2, 3}),
                new TensorSpec("attn.bias", DType.BF16, new long[] {4, 5}),
                new TensorSpec("empty", DType.I32, new long[] {0, 4}),
                new TensorSpec("scale", DType.F64, new long[] {}),
                new TensorSpec("mask", DType.BOOL, new long[] {3}),
                new TensorSpec("quant", DType.F8_E4M3, new long[] {5}),
                new TensorSpec("ids", DType.I64, new long[] {2}));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("source", "round-trip test");
        Path file = dir.resolve("roundtrip.safetensors");

        SafetensorsWriter.write(file, metadata, specs, SEED);
        SafetensorsIndex index = Safetensors.read(file);

        assertEquals(expectedTensors(specs, index.dataStartOffset()), index.tensors());
        assertEquals(metadata, index.metadata());
        assertEquals(Files.size(file), index.fileSizeBytes());
        for (TensorInfo tensor : index.tensors()) {
            assertArrayEquals(pattern(tensor.name(), tensor.byteLength()), readBytes(file, tensor), tensor.name());
        }
    }

    @Test
    void padsHeaderWithSpacesToMultipleOfEightBytes() throws Exception {
        Path file = dir.resolve("padded.safetensors");

        SafetensorsWriter.write(file, Map.of(), List.of(new TensorSpec("w", DType.U8, new long[] {3})), SEED);
        SafetensorsIndex index = Safetensors.read(file);

        assertEquals(0, index.headerLengthBytes() % SafetensorsWriter.HEADER_ALIGNMENT_BYTES);
        String header = new String(Files.readAllBytes(file), 8, (int) index.headerLengthBytes(),
                StandardCharsets.UTF_8);
        assertTrue(header.matches("\\{.*\\} *"), header);
    }

    @Test
    void omitsMetadataKeyWhenMetadataIsEmpty() {
        List<TensorSpec> specs = List.of(new TensorSpec("w", DType.U8, new long[] {1}));

        String header = new String(SafetensorsWriter.encodeHeader(Map.of(), specs), StandardCharsets.UTF_8);

        assertFalse(header.contains("__metadata__"), header);
    }

    @Test
    void encodesOffsetsBeyond2GiBWithoutWritingData() {
        List<TensorSpec> specs = List.of(new TensorSpec("a", DType.F32, new long[] {1L << 30}),
                new TensorSpec("b", DType.F64, new long[] {1L << 29}));

        String header = new String(SafetensorsWriter.encodeHeader(Map.of(), specs), StandardCharsets.UTF_8);

        assertTrue(header.contains("\"data_offsets\":[0,4294967296]"), header);
        assertTrue(header.contains("\"data_offsets\":[4294967296,8589934592]"), header);
    }

    @Test
    void roundTripsNamesThatNeedJsonEscaping() throws Exception {
        String name = "layer \"0\" \\ weight\t✓";
        Path file = dir.resolve("escaped.safetensors");

        SafetensorsWriter.write(file, Map.of("note", "line1\nline2"), List.of(new TensorSpec(name, DType.U8,
                new long[] {2})), SEED);
        SafetensorsIndex index = Safetensors.read(file);

        assertEquals(name, index.tensors().getFirst().name());
        assertEquals("line1\nline2", index.metadata().get("note"));
    }

    @Test
    void streamsTensorsLargerThanOneChunk() throws Exception {
        List<TensorSpec> specs = List.of(new TensorSpec("big", DType.U8, new long[] {200_003}),
                new TensorSpec("tail", DType.F16, new long[] {3}));
        Path file = dir.resolve("chunks.safetensors");

        SafetensorsWriter.write(file, Map.of(), specs, SEED);
        SafetensorsIndex index = Safetensors.read(file);

        for (TensorInfo tensor : index.tensors()) {
            assertArrayEquals(pattern(tensor.name(), tensor.byteLength()), readBytes(file, tensor), tensor.name());
        }
    }

    @Test
    void sameSeedWritesIdenticalFiles() throws Exception {
        List<TensorSpec> specs = List.of(new TensorSpec("w", DType.F32, new long[] {64}));
        Path first = dir.resolve("first.safetensors");
        Path second = dir.resolve("second.safetensors");

        SafetensorsWriter.write(first, Map.of(), specs, SEED);
        SafetensorsWriter.write(second, Map.of(), specs, SEED);

        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }

    @Test
    void patternDependsOnSeedAndTensorName() {
        byte[] base = new byte[64];
        byte[] otherSeed = new byte[64];
        byte[] otherName = new byte[64];

        SafetensorsWriter.fillPattern(SEED, "w", 0, base);
        SafetensorsWriter.fillPattern(SEED + 1, "w", 0, otherSeed);
        SafetensorsWriter.fillPattern(SEED, "v", 0, otherName);

        assertFalse(Arrays.equals(base, otherSeed));
        assertFalse(Arrays.equals(base, otherName));
    }

    @Test
    void fillPatternMatchesPatternByteFromUnalignedStart() {
        byte[] filled = new byte[29];

        SafetensorsWriter.fillPattern(SEED, "w", 5, filled);

        for (int i = 0; i < filled.length; i++) {
            assertEquals(SafetensorsWriter.patternByte(SEED, "w", 5 + i), filled[i], "byte " + i);
        }
    }

    @Test
    void patternByteWorksBeyond2GiB() {
        long index = (5L << 30) + 3;
        byte[] filled = new byte[1];

        SafetensorsWriter.fillPattern(SEED, "big", index, filled);

        assertEquals(SafetensorsWriter.patternByte(SEED, "big", index), filled[0]);
    }

    @Test
    void rejectsNegativePatternIndex() {
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.patternByte(SEED, "w", -1));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.fillPattern(SEED, "w", -1,
                new byte[1]));
    }

    @Test
    void rejectsDuplicateTensorNames() {
        List<TensorSpec> specs = List.of(new TensorSpec("w", DType.U8, new long[] {1}),
                new TensorSpec("w", DType.F32, new long[] {1}));

        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(dir.resolve("dup.safetensors"), Map.of(), specs, SEED));

        assertTrue(refusal.getMessage().contains("'w'"), refusal.getMessage());
        assertFalse(Files.exists(dir.resolve("dup.safetensors")));
    }

    @Test
    void rejectsDataLengthOverflowingLong() {
        List<TensorSpec> specs = List.of(new TensorSpec("a", DType.U8, new long[] {Long.MAX_VALUE}),
                new TensorSpec("b", DType.U8, new long[] {1}));

        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.encodeHeader(Map.of(), specs));
    }

    @Test
    void replacesExistingFile() throws Exception {
        Path file = dir.resolve("replaced.safetensors");
        SafetensorsWriter.write(file, Map.of(), List.of(new TensorSpec("w", DType.F64, new long[] {100})), SEED);

        SafetensorsWriter.write(file, Map.of(), List.of(new TensorSpec("w", DType.U8, new long[] {1})), SEED);

        assertEquals(1, Safetensors.read(file).dataLengthBytes());
    }

    @Test
    void writeRawWritesLittleEndianLengthThenHeaderThenData() throws Exception {
        Path file = dir.resolve("raw.safetensors");
        byte[] header = "{}".getBytes(StandardCharsets.UTF_8);

        SafetensorsWriter.writeRaw(file, header, 0x0102030405060708L, new byte[] {9, 10});

        assertArrayEquals(new byte[] {8, 7, 6, 5, 4, 3, 2, 1, '{', '}', 9, 10}, Files.readAllBytes(file));
    }

    private static List<TensorInfo> expectedTensors(List<TensorSpec> specs, long dataStartOffset) {
        List<TensorInfo> expected = new ArrayList<>();
        long offset = dataStartOffset;
        for (TensorSpec spec : specs) {
            expected.add(new TensorInfo(spec.name(), spec.dtype(), spec.shape(), offset, offset + spec.byteLength()));
            offset += spec.byteLength();
        }
        expected.sort(Comparator.comparingLong(TensorInfo::beginOffset).thenComparingLong(TensorInfo::endOffset));
        return expected;
    }

    private static byte[] pattern(String name, long lengthBytes) {
        byte[] expected = new byte[(int) lengthBytes];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = SafetensorsWriter.patternByte(SEED, name, i);
        }
        return expected;
    }

    private static byte[] readBytes(Path file, TensorInfo tensor) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) tensor.byteLength());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, tensor.beginOffset() + buffer.position()) < 0) {
                    throw new EOFException("file ends inside tensor " + tensor.name());
                }
            }
        }
        return buffer.array();
    }
}
