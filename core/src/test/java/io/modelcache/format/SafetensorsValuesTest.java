package io.modelcache.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The value types (DType, TensorInfo, TensorSpec, SafetensorsIndex) and the small entry points. */
class SafetensorsValuesTest {

    @TempDir
    Path dir;

    @Test
    void dtypeOfFindsEveryDtypeByItsExactName() {
        for (DType dtype : DType.values()) {
            assertEquals(Optional.of(dtype), DType.of(dtype.name()));
        }
    }

    @Test
    void dtypeOfReturnsEmptyForUnknownOrWrongCaseNames() {
        assertEquals(Optional.empty(), DType.of("F128"));
        assertEquals(Optional.empty(), DType.of("bf16"));
        assertEquals(Optional.empty(), DType.of(""));
    }

    @Test
    void dtypeBytesPerElementMatchesBitWidth() {
        Map<DType, Integer> expected = Map.ofEntries(Map.entry(DType.BOOL, 1), Map.entry(DType.U8, 1),
                Map.entry(DType.I8, 1), Map.entry(DType.F8_E4M3, 1), Map.entry(DType.F8_E5M2, 1),
                Map.entry(DType.I16, 2), Map.entry(DType.U16, 2), Map.entry(DType.F16, 2), Map.entry(DType.BF16, 2),
                Map.entry(DType.I32, 4), Map.entry(DType.U32, 4), Map.entry(DType.F32, 4), Map.entry(DType.I64, 8),
                Map.entry(DType.U64, 8), Map.entry(DType.F64, 8));

        for (DType dtype : DType.values()) {
            assertEquals(expected.get(dtype), dtype.bytesPerElement(), dtype.name());
        }
    }

    @Test
    void tensorInfoComparesShapeByContent() {
        TensorInfo first = new TensorInfo("w", DType.F32, new long[] {2, 3}, 16, 40);
        TensorInfo same = new TensorInfo("w", DType.F32, new long[] {2, 3}, 16, 40);
        TensorInfo transposed = new TensorInfo("w", DType.F32, new long[] {3, 2}, 16, 40);

        assertEquals(first, same);
        assertEquals(first.hashCode(), same.hashCode());
        assertNotEquals(first, transposed);
    }

    @Test
    void tensorInfoToStringShowsShapeValues() {
        TensorInfo tensor = new TensorInfo("w", DType.BF16, new long[] {2, 3}, 16, 28);

        String text = tensor.toString();

        assertEquals("TensorInfo[name=w, dtype=BF16, shape=[2, 3], beginOffset=16, endOffset=28]", text);
    }

    @Test
    void tensorInfoShapeCannotBeChangedFromOutside() {
        long[] shape = {4};
        TensorInfo tensor = new TensorInfo("w", DType.U8, shape, 0, 4);

        shape[0] = 99;
        tensor.shape()[0] = 99;

        assertEquals(4, tensor.shape()[0]);
    }

    @Test
    void tensorInfoCountsElementsOfScalarAndZeroShapes() {
        TensorInfo scalar = new TensorInfo("s", DType.F64, new long[] {}, 0, 8);
        TensorInfo empty = new TensorInfo("e", DType.F64, new long[] {5, 0}, 8, 8);

        assertEquals(1, scalar.elementCount());
        assertEquals(8, scalar.byteLength());
        assertEquals(0, empty.elementCount());
        assertEquals(0, empty.byteLength());
    }

    @Test
    void tensorInfoRejectsInconsistentComponents() {
        assertThrows(IllegalArgumentException.class, () -> new TensorInfo("w", DType.F32, new long[] {2}, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> new TensorInfo("w", DType.U8, new long[] {-1}, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TensorInfo("w", DType.U8, new long[] {1}, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new TensorInfo("w", DType.U8, new long[] {0}, 4, 2));
        assertThrows(NullPointerException.class, () -> new TensorInfo(null, DType.U8, new long[] {1}, 0, 1));
    }

    @Test
    void tensorSpecComparesShapeByContentAndComputesByteLength() {
        TensorSpec spec = new TensorSpec("w", DType.BF16, new long[] {3, 5});

        assertEquals(new TensorSpec("w", DType.BF16, new long[] {3, 5}), spec);
        assertEquals(15, spec.elementCount());
        assertEquals(30, spec.byteLength());
        assertEquals("TensorSpec[name=w, dtype=BF16, shape=[3, 5]]", spec.toString());
    }

    @Test
    void tensorSpecRejectsReservedNameNegativeDimensionAndOverflow() {
        assertThrows(IllegalArgumentException.class,
                () -> new TensorSpec("__metadata__", DType.U8, new long[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new TensorSpec("w", DType.U8, new long[] {-2}));
        assertThrows(IllegalArgumentException.class,
                () -> new TensorSpec("w", DType.F32, new long[] {1L << 62}));
    }

    @Test
    void indexIsImmutable() {
        Map<String, String> metadata = new HashMap<>(Map.of("format", "pt"));
        SafetensorsIndex index = new SafetensorsIndex("m.safetensors", 8, 16, 16, metadata, List.of());

        metadata.put("later", "change");

        assertEquals(Map.of("format", "pt"), index.metadata());
        assertThrows(UnsupportedOperationException.class, () -> index.metadata().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> index.tensors().clear());
    }

    @Test
    void indexFindsTensorsByNameAndReportsDataLength() {
        TensorInfo a = new TensorInfo("a", DType.U8, new long[] {4}, 16, 20);
        TensorInfo b = new TensorInfo("b", DType.U8, new long[] {2}, 20, 22);
        SafetensorsIndex index = new SafetensorsIndex("m.safetensors", 8, 16, 22, Map.of(), List.of(a, b));

        assertEquals(Optional.of(b), index.tensor("b"));
        assertEquals(Optional.empty(), index.tensor("c"));
        assertEquals(6, index.dataLengthBytes());
    }

    @Test
    void indexRejectsInconsistentSizesAndUnsortedTensors() {
        TensorInfo a = new TensorInfo("a", DType.U8, new long[] {4}, 16, 20);
        TensorInfo b = new TensorInfo("b", DType.U8, new long[] {2}, 20, 22);

        assertThrows(IllegalArgumentException.class,
                () -> new SafetensorsIndex("m", 8, 17, 22, Map.of(), List.of(a, b)));
        assertThrows(IllegalArgumentException.class,
                () -> new SafetensorsIndex("m", 8, 16, 21, Map.of(), List.of(a, b)));
        assertThrows(IllegalArgumentException.class,
                () -> new SafetensorsIndex("m", 8, 16, 22, Map.of(), List.of(b, a)));
    }

    @Test
    void isSafetensorsChecksTheExtension() {
        assertTrue(Safetensors.isSafetensors(Path.of("model.safetensors")));
        assertTrue(Safetensors.isSafetensors(Path.of("models", "llama", "model-00001-of-00002.safetensors")));
        assertTrue(Safetensors.isSafetensors(Path.of("MODEL.SafeTensors")));
        assertFalse(Safetensors.isSafetensors(Path.of("model.bin")));
        assertFalse(Safetensors.isSafetensors(Path.of("model.safetensors.index.json")));
        assertFalse(Safetensors.isSafetensors(Path.of(".safetensors")));
        assertFalse(Safetensors.isSafetensors(Path.of("/")));
    }

    @Test
    void readOfMissingFileThrowsIoExceptionNotInvalidModel() {
        Path missing = dir.resolve("missing.safetensors");

        assertThrows(NoSuchFileException.class, () -> Safetensors.read(missing));
    }

    @Test
    void maxHeaderBytesIsOneHundredMebibytes() {
        assertEquals(104_857_600L, Safetensors.MAX_HEADER_BYTES);
    }
}
