package io.modelcache.format;

import static io.modelcache.format.TestFiles.assertMessageContains;
import static io.modelcache.format.TestFiles.entry;
import static io.modelcache.format.TestFiles.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One tensor entry at a time: its keys, dtype, shape, data_offsets and byte length; and __metadata__. */
class SafetensorsTensorEntryTest {

    @TempDir
    Path dir;

    @Test
    void rejectsTensorEntryThatIsNotAnObject() throws IOException {
        Path file = TestFiles.withEntries(dir, "\"w\":[1,2]", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "must be a JSON object", "a JSON array [1, 2]");
    }

    @Test
    void rejectsTensorEntryThatIsNull() throws IOException {
        Path file = TestFiles.withEntries(dir, "\"w\":null", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "must be a JSON object", "but is JSON null");
    }

    @Test
    void rejectsTensorEntryThatIsAString() throws IOException {
        Path file = TestFiles.withEntries(dir, "\"w\":\"F32\"", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "must be a JSON object", "a JSON string \"F32\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "dtype        | {\"shape\":[1],\"data_offsets\":[0,1]}",
        "shape        | {\"dtype\":\"U8\",\"data_offsets\":[0,1]}",
        "data_offsets | {\"dtype\":\"U8\",\"shape\":[1]}"})
    void rejectsTensorEntryMissingRequiredKey(String missing, String entry) throws IOException {
        Path file = TestFiles.withEntries(dir, "\"w\":" + entry, 1);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "missing required key '" + missing + "'");
    }

    @Test
    void rejectsUnknownKeyInTensorEntry() throws IOException {
        Path file = TestFiles.withEntries(dir,
                "\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"offset\":0}", 1);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "unknown key 'offset'",
                "allowed keys: dtype, shape, data_offsets");
    }

    @Test
    void rejectsDtypeThatIsNotAString() throws IOException {
        Path file = TestFiles.withEntries(dir, "\"w\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}", 4);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "dtype must be a JSON string", "a JSON number 4");
    }

    @Test
    void rejectsUnknownDtype() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("w", "F128", "[1]", 0, 16), 16);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "unknown dtype 'F128'", "BOOL, U8", "BF16", "F64");
    }

    @Test
    void rejectsDtypeInWrongCase() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("w", "f32", "[1]", 0, 4), 4);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "unknown dtype 'f32'");
    }

    @Test
    void rejectsShapeThatIsNotAnArray() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("w", "U8", "4", 0, 4), 4);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "shape must be a JSON array", "a JSON number 4");
    }

    @Test
    void rejectsNegativeShapeDimension() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("w", "U8", "[2,-3]", 0, 6), 6);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "shape [2, -3]: dimension at index 1 is negative: -3",
                "must be >= 0");
    }

    @Test
    void rejectsFractionalShapeDimension() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("w", "U8", "[2.5]", 0, 2), 2);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'",
                "dimension at index 0 must be an integer, but is a JSON number 2.5");
    }

    @Test
    void rejectsShapeDimensionWrittenAsFloatingPointInteger() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("w", "U8", "[2.0]", 0, 2), 2);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "dimension at index 0 must be an integer", "a JSON number 2.0");
    }

    @Test
    void rejectsShapeDimensionWrittenAsString() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("w", "U8", "[\"2\"]", 0, 2), 2);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "must be an integer", "a JSON string \"2\"");
    }

    @Test
    void rejectsShapeDimensionBeyondLongRange() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("w", "U8", "[9223372036854775808]", 0, 2), 2);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "dimension at index 0 is 9223372036854775808",
                "above the maximum of 9223372036854775807");
    }

    @Test
    void rejectsShapeWhoseElementCountOverflowsLong() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("w", "U8", "[4294967296,4294967296]", 0, 2), 2);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "shape [4294967296, 4294967296]",
                "more than 9223372036854775807 elements");
    }

    @Test
    void rejectsShapeWhoseByteLengthOverflowsLong() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("w", "F32", "[4611686018427387904]", 0, 4), 4);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "span 4 bytes", "needs more than 9223372036854775807 bytes",
                "4611686018427387904 elements * 4 bytes per element");
    }

    @Test
    void acceptsHugeDimensionsWhenAnotherDimensionIsZero() throws Exception {
        Path file = TestFiles.withEntries(dir, entry("w", "F64", "[4294967296,0,4294967296]", 0, 0), 0);

        SafetensorsIndex index = Safetensors.read(file);

        assertEquals(0, index.tensors().getFirst().elementCount());
    }

    @Test
    void rejectsDataOffsetsThatAreNotAPair() throws IOException {
        Path file = TestFiles.withEntries(dir, "\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1,2]}", 2);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "data_offsets must be a JSON array of 2 integers",
                "a JSON array [0, 1, 2]");
    }

    @Test
    void rejectsDataOffsetsThatAreAnObject() throws IOException {
        Path file = TestFiles.withEntries(dir,
                "\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":{\"begin\":0,\"end\":1}}", 1);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "data_offsets must be a JSON array", "a JSON object");
    }

    @Test
    void rejectsNegativeBeginOffset() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("w", "U8", "[4]", -1, 3), 4);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "data_offsets [-1, 3]: begin offset at index 0 is negative: -1",
                "must be >= 0");
    }

    @Test
    void rejectsNegativeEndOffset() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("w", "U8", "[0]", 0, -4), 4);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "end offset at index 1 is negative: -4");
    }

    @Test
    void rejectsNullOffset() throws IOException {
        Path file = TestFiles.withEntries(dir, "\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,null]}", 1);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "end offset at index 1 must be an integer, but is JSON null");
    }

    @Test
    void rejectsOffsetBeyondLongRange() throws IOException {
        Path file = TestFiles.withEntries(dir,
                "\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,18446744073709551616]}", 1);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "end offset at index 1 is 18446744073709551616",
                "above the maximum of 9223372036854775807");
    }

    @Test
    void rejectsReversedDataOffsets() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("w", "U8", "[6]", 10, 4), 16);

        InvalidModelException refusal = refused(file);

        assertEquals("tensor 'w' in model.safetensors: data_offsets [10, 4] are reversed (begin 10 > end 4)",
                refusal.getMessage());
    }

    @Test
    void rejectsEndOffsetPastDataSection() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("w", "F32", "[25]", 0, 100), 64);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "data_offsets [0, 100] end at byte 100",
                "past the end of the data section of 64 bytes");
    }

    @Test
    void rejectsZeroLengthTensorPastDataSection() throws IOException {
        String entries = entry("w", "U8", "[8]", 0, 8) + "," + entry("empty", "F32", "[0]", 9, 9);
        Path file = TestFiles.withEntries(dir, entries, 8);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'empty'", "data_offsets [9, 9] end at byte 9",
                "data section of 8 bytes");
    }

    @Test
    void rejectsByteLengthNotMatchingShapeAndDtype() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("w", "F32", "[2,3]", 0, 10), 10);

        InvalidModelException refusal = refused(file);

        assertEquals("tensor 'w' in model.safetensors: data_offsets [0, 10] span 10 bytes, but shape [2, 3] of dtype"
                + " F32 needs 24 bytes (6 elements * 4 bytes per element)", refusal.getMessage());
    }

    @Test
    void rejectsNonEmptySpanForZeroElementTensor() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("w", "BF16", "[0,8]", 0, 2), 2);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 'w'", "span 2 bytes", "needs 0 bytes (0 elements");
    }

    @Test
    void rejectsScalarWithWrongByteLength() throws IOException {
        Path file = TestFiles.withEntries(dir, entry("s", "F64", "[]", 0, 4), 4);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "tensor 's'", "span 4 bytes", "needs 8 bytes (1 elements * 8 bytes");
    }

    @Test
    void rejectsMetadataThatIsNotAnObject() throws IOException {
        Path file = TestFiles.withHeader(dir, "{\"__metadata__\":[\"format\",\"pt\"]}", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "__metadata__ in model.safetensors must be a JSON object of string values",
                "a JSON array [\"format\", \"pt\"]");
    }

    @Test
    void rejectsMetadataWithNumberValue() throws IOException {
        Path file = TestFiles.withHeader(dir, "{\"__metadata__\":{\"format\":\"pt\",\"epochs\":3}}", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "value of key 'epochs' must be a JSON string", "a JSON number 3");
    }

    @Test
    void rejectsMetadataWithNestedObjectValue() throws IOException {
        Path file = TestFiles.withHeader(dir, "{\"__metadata__\":{\"config\":{\"layers\":\"2\"}}}", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "value of key 'config'", "a JSON object {\"layers\":\"2\"}");
    }

    @Test
    void rejectsMetadataWithNullValue() throws IOException {
        Path file = TestFiles.withHeader(dir, "{\"__metadata__\":{\"format\":null}}", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "value of key 'format'", "JSON null");
    }

    @Test
    void truncatesVeryLongValuesInMessages() throws IOException {
        String longName = "w".repeat(10_000);
        Path file = TestFiles.withEntries(dir, entry(longName, "X9", "[1]", 0, 1), 1);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "(10000 chars)", "unknown dtype 'X9'");
        assertTrue(refusal.getMessage().length() < 1_000, refusal.getMessage());
    }
}
