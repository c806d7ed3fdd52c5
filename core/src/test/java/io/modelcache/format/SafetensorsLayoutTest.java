package io.modelcache.format;

import static io.modelcache.format.TestFiles.assertMessageContains;
import static io.modelcache.format.TestFiles.entry;
import static io.modelcache.format.TestFiles.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the tensors cover the data section: sorted by offset, no overlap, no gap, zero-length tensors anywhere. */
class SafetensorsLayoutTest {

    @TempDir
    Path dir;

    @Test
    void rejectsOverlappingTensorsNamingBoth() throws IOException {
        String entries = entry("a", "U8", "[8]", 0, 8) + "," + entry("b", "U8", "[8]", 4, 12);
        Path file = TestFiles.withEntries(dir, entries, 12);

        InvalidModelException refusal = refused(file);

        assertEquals("tensor 'b' in model.safetensors: data_offsets [4, 12] overlap tensor 'a' data_offsets [0, 8]"
                + " by 4 bytes", refusal.getMessage());
    }

    @Test
    void rejectsTensorContainedInAnother() throws IOException {
        String entries = entry("outer", "U8", "[16]", 0, 16) + "," + entry("inner", "F32", "[1]", 4, 8);
        Path file = TestFiles.withEntries(dir, entries, 16);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'inner'", "overlap tensor 'outer' data_offsets [0, 16] by 4 bytes");
    }

    @Test
    void rejectsTwoTensorsWithIdenticalOffsets() throws IOException {
        String entries = entry("a", "U8", "[4]", 0, 4) + "," + entry("b", "I8", "[4]", 0, 4);
        Path file = TestFiles.withEntries(dir, entries, 4);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'b'", "data_offsets [0, 4] overlap tensor 'a' data_offsets [0, 4]");
    }

    @Test
    void rejectsGapBetweenTensors() throws IOException {
        String entries = entry("a", "U8", "[8]", 0, 8) + "," + entry("b", "U8", "[4]", 12, 16);
        Path file = TestFiles.withEntries(dir, entries, 16);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "data section of model.safetensors (16 bytes) has a gap of 4 bytes"
                + " at data_offsets [8, 12]", "between tensor 'a' (data_offsets [0, 8]) and tensor 'b'"
                + " (data_offsets [12, 16])", "must cover the data section exactly");
    }

    @Test
    void rejectsGapBeforeFirstTensor() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("a", "U8", "[8]", 8, 16), 16);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "gap of 8 bytes at data_offsets [0, 8]",
                "before the first tensor 'a' (data_offsets [8, 16])");
    }

    @Test
    void rejectsGapAfterLastTensor() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("a", "U8", "[8]", 0, 8), 20);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "(20 bytes) has a gap of 12 bytes at data_offsets [8, 20]",
                "after the last tensor 'a' (data_offsets [0, 8])");
    }

    @Test
    void rejectsDataSectionWithoutAnyTensor() throws IOException {
        Path file = TestFiles.withHeader(dir, "{}", 5);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "(5 bytes) has a gap of 5 bytes at data_offsets [0, 5]",
                "no non-empty tensor");
    }

    @Test
    void rejectsDataSectionCoveredOnlyByZeroLengthTensors() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("empty", "F32", "[0]", 0, 0), 4);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "gap of 4 bytes at data_offsets [0, 4]");
    }

    @Test
    void acceptsEntriesInAnyOrderAndSortsThemByOffset() throws Exception {
        String entries = entry("c", "U8", "[4]", 12, 16) + "," + entry("a", "F32", "[2]", 0, 8) + ","
                + entry("b", "I16", "[2]", 8, 12);
        Path file = TestFiles.withEntries(dir, entries, 16);

        SafetensorsIndex index = Safetensors.read(file);

        assertEquals(List.of("a", "b", "c"), index.tensors().stream().map(TensorInfo::name).toList());
    }

    @Test
    void returnsAbsoluteOffsetsAndSizes() throws Exception {
        String header = "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "I16", "[2]", 8, 12) + "}";
        Path file = TestFiles.withHeader(dir, header, 12);
        long dataStart = 8 + header.length();

        SafetensorsIndex index = Safetensors.read(file);

        assertEquals(TestFiles.NAME, index.fileName());
        assertEquals(header.length(), index.headerLengthBytes());
        assertEquals(dataStart, index.dataStartOffset());
        assertEquals(dataStart + 12, index.fileSizeBytes());
        assertEquals(List.of(new TensorInfo("a", DType.F32, new long[] {2}, dataStart, dataStart + 8),
                new TensorInfo("b", DType.I16, new long[] {2}, dataStart + 8, dataStart + 12)), index.tensors());
    }

    @Test
    void acceptsZeroElementTensor() throws Exception {
        Path file = TestFiles.withEntries(dir, entry("empty", "F32", "[3,0]", 0, 0), 0);

        SafetensorsIndex index = Safetensors.read(file);

        TensorInfo empty = index.tensors().getFirst();
        assertEquals(0, empty.elementCount());
        assertEquals(0, empty.byteLength());
        assertEquals(index.dataStartOffset(), empty.beginOffset());
    }

    @Test
    void acceptsSeveralZeroLengthTensorsAtTheSameOffset() throws Exception {
        String entries = entry("a", "U8", "[4]", 0, 4) + "," + entry("z1", "F32", "[0]", 4, 4) + ","
                + entry("z2", "BF16", "[0,7]", 4, 4) + "," + entry("b", "U8", "[4]", 4, 8) + ","
                + entry("z3", "I64", "[0]", 4, 4);
        Path file = TestFiles.withEntries(dir, entries, 8);

        SafetensorsIndex index = Safetensors.read(file);

        assertEquals(List.of("a", "z1", "z2", "z3", "b"), index.tensors().stream().map(TensorInfo::name).toList());
    }

    @Test
    void acceptsZeroLengthTensorInsideAnotherTensorsRange() throws Exception {
        String entries = entry("a", "U8", "[8]", 0, 8) + "," + entry("z", "F32", "[0]", 3, 3);
        Path file = TestFiles.withEntries(dir, entries, 8);

        SafetensorsIndex index = Safetensors.read(file);

        assertEquals(List.of("a", "z"), index.tensors().stream().map(TensorInfo::name).toList());
    }

    @Test
    void acceptsZeroLengthTensorsAtBothEndsOfTheDataSection() throws Exception {
        String entries = entry("last", "U8", "[0]", 4, 4) + "," + entry("a", "U8", "[4]", 0, 4) + ","
                + entry("first", "U8", "[0]", 0, 0);
        Path file = TestFiles.withEntries(dir, entries, 4);

        SafetensorsIndex index = Safetensors.read(file);

        assertEquals(List.of("first", "a", "last"), index.tensors().stream().map(TensorInfo::name).toList());
    }

    @Test
    void acceptsScalarTensorWithOneElement() throws Exception {
        Path file = TestFiles.withEntries(dir, entry("step", "I64", "[]", 0, 8), 8);

        SafetensorsIndex index = Safetensors.read(file);

        TensorInfo scalar = index.tensors().getFirst();
        assertEquals(0, scalar.shape().length);
        assertEquals(1, scalar.elementCount());
        assertEquals(8, scalar.byteLength());
    }

    @Test
    void returnsMetadataInHeaderOrder() throws Exception {
        String header = "{\"__metadata__\":{\"format\":\"pt\",\"author\":\"modelcache\",\"a\":\"\"},"
                + entry("w", "U8", "[1]", 0, 1) + "}";
        Path file = TestFiles.withHeader(dir, header, 1);

        SafetensorsIndex index = Safetensors.read(file);

        assertEquals(Map.of("format", "pt", "author", "modelcache", "a", ""), index.metadata());
        assertEquals(List.of("format", "author", "a"), List.copyOf(index.metadata().keySet()));
    }

    @Test
    void acceptsMetadataAfterTheTensors() throws Exception {
        String header = "{" + entry("w", "U8", "[1]", 0, 1) + ",\"__metadata__\":{\"format\":\"pt\"}}";
        Path file = TestFiles.withHeader(dir, header, 1);

        SafetensorsIndex index = Safetensors.read(file);

        assertEquals(Map.of("format", "pt"), index.metadata());
        assertEquals(1, index.tensors().size());
    }

    @Test
    void readsFileLargerThan2GiBWithTensorLargerThan2GiB() throws Exception {
        long bigBytes = 3L << 30;
        List<TensorSpec> specs = List.of(new TensorSpec("small", DType.F32, new long[] {4}),
                new TensorSpec("big", DType.BF16, new long[] {3, 1L << 29}));
        byte[] header = SafetensorsWriter.encodeHeader(Map.of(), specs);
        Path file = dir.resolve(TestFiles.NAME);
        SafetensorsWriter.writeRaw(file, header, header.length, new byte[16]);
        long dataStart = 8L + header.length;
        TestFiles.extendSparse(file, dataStart + 16 + bigBytes);

        SafetensorsIndex index = Safetensors.read(file);

        TensorInfo big = index.tensors().get(1);
        assertEquals(bigBytes, big.byteLength());
        assertEquals(3L << 29, big.elementCount());
        assertEquals(dataStart + 16, big.beginOffset());
        assertEquals(dataStart + 16 + bigBytes, big.endOffset());
        assertEquals(dataStart + 16 + bigBytes, index.fileSizeBytes());
    }

    @Test
    void readFromChannelLeavesItsPositionUnchanged() throws Exception {
        Path file = TestFiles.withEntries(dir, entry("w", "U8", "[4]", 0, 4), 4);

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.position(3);

            SafetensorsIndex index = Safetensors.read(channel, "shared.safetensors");

            assertEquals(3, channel.position());
            assertEquals("shared.safetensors", index.fileName());
        }
    }

    @Test
    void readsConcurrentlyFromOneSharedChannel() throws Exception {
        List<TensorSpec> specs = List.of(new TensorSpec("a", DType.F32, new long[] {8}),
                new TensorSpec("b", DType.BF16, new long[] {3, 3}));
        Path file = dir.resolve(TestFiles.NAME);
        SafetensorsWriter.write(file, Map.of("k", "v"), specs, 7);
        SafetensorsIndex expected = Safetensors.read(file);

        List<SafetensorsIndex> results = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<SafetensorsIndex>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                futures.add(pool.submit(() -> Safetensors.read(channel, TestFiles.NAME)));
            }
            for (Future<SafetensorsIndex> future : futures) {
                results.add(future.get());
            }
        }

        assertEquals(40, results.size());
        results.forEach(index -> assertEquals(expected, index));
    }

    @Test
    void readFromChannelNamesTheGivenFileInMessages() throws Exception {
        Path file = TestFiles.withHeader(dir, "[]", 0);

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            InvalidModelException refusal = assertThrows(InvalidModelException.class,
                    () -> Safetensors.read(channel, "remote/llama.safetensors"));

            assertTrue(refusal.getMessage().contains("remote/llama.safetensors"), refusal.getMessage());
        }
    }
}
