package io.modelcache.format;

import static io.modelcache.format.TestFiles.assertMessageContains;
import static io.modelcache.format.TestFiles.entry;
import static io.modelcache.format.TestFiles.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The header text: UTF-8, one JSON object, padding with spaces only, no duplicate keys. */
class SafetensorsHeaderTextTest {

    @TempDir
    Path dir;

    @Test
    void rejectsHeaderThatIsNotValidUtf8() throws IOException {
        byte[] header = concat("{\"__metadata__\":{\"k\":\"", new byte[] {(byte) 0xC3, 0x28}, "\"}}");
        Path file = TestFiles.withHeaderBytes(dir, header, 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "not valid UTF-8", "at byte 22 of the " + header.length + "-byte header",
                "file offset 30");
    }

    @Test
    void rejectsOverlongUtf8Encoding() throws IOException {
        byte[] header = concat("{\"__metadata__\":{\"k\":\"", new byte[] {(byte) 0xC0, (byte) 0xAF}, "\"}}");
        Path file = TestFiles.withHeaderBytes(dir, header, 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "not valid UTF-8", "at byte 22");
    }

    @Test
    void rejectsUtf8EncodedSurrogate() throws IOException {
        byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
        byte[] header = concat("{\"__metadata__\":{\"k\":\"", surrogate, "\"}}");
        Path file = TestFiles.withHeaderBytes(dir, header, 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "not valid UTF-8", "at byte 22");
    }

    @Test
    void acceptsMultiByteUtf8InNamesAndMetadata() throws Exception {
        String header = "{\"__metadata__\":{\"módel\":\"重み ✓\"}," + entry("größe", "U8", "[2]", 0, 2) + "}";
        Path file = TestFiles.withHeader(dir, header, 2);

        SafetensorsIndex index = Safetensors.read(file);

        assertEquals(Map.of("módel", "重み ✓"), index.metadata());
        assertEquals("größe", index.tensors().getFirst().name());
    }

    @Test
    void rejectsHeaderThatIsNotValidJson() throws IOException {
        Path file = TestFiles.withHeader(dir, "{\"w\": {\"dtype\": }", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "header of model.safetensors is not valid JSON at line 1, column");
    }

    @Test
    void rejectsUnterminatedJsonObject() throws IOException {
        Path file = TestFiles.withHeader(dir, "{\"__metadata__\":{}", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "not valid JSON");
    }

    @Test
    void rejectsJsonArrayHeader() throws IOException {
        Path file = TestFiles.withHeader(dir, "[]", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "not a JSON object", "must start with '{'", "'[' (U+005B)");
    }

    @Test
    void rejectsJsonStringHeader() throws IOException {
        Path file = TestFiles.withHeader(dir, "\"{}\"", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "not a JSON object", "'\"' (U+0022)");
    }

    @Test
    void rejectsHeaderStartingWithSpace() throws IOException {
        Path file = TestFiles.withHeader(dir, " {}", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "must start with '{'", "' ' (U+0020)");
    }

    @Test
    void rejectsHeaderStartingWithByteOrderMark() throws IOException {
        Path file = TestFiles.withHeader(dir, "\uFEFF{}", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "must start with '{'", "U+FEFF");
    }

    @Test
    void rejectsTrailingGarbageAfterJsonObject() throws IOException {
        Path file = TestFiles.withHeader(dir, "{}  garbage", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "trailing content after the JSON object at character 4", "'garbage'",
                "only spaces (0x20)");
    }

    @Test
    void rejectsSecondJsonObjectAfterTheFirst() throws IOException {
        Path file = TestFiles.withHeader(dir, "{} {}", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "trailing content", "at character 3");
    }

    @Test
    void rejectsTrailingNewline() throws IOException {
        Path file = TestFiles.withHeader(dir, "{}\n", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "trailing content", "\\u000a");
    }

    @Test
    void rejectsTrailingNulPadding() throws IOException {
        Path file = TestFiles.withHeader(dir, "{}\0\0\0\0\0\0", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "trailing content", "\\u0000");
    }

    @Test
    void acceptsHeaderPaddedWithSpaces() throws Exception {
        String header = "{" + entry("w", "F32", "[2]", 0, 8) + "}      ";
        Path file = TestFiles.withHeader(dir, header, 8);
        long dataStart = 8 + header.length();

        SafetensorsIndex index = Safetensors.read(file);

        assertEquals(header.length(), index.headerLengthBytes());
        assertEquals(dataStart, index.dataStartOffset());
        assertEquals(new TensorInfo("w", DType.F32, new long[] {2}, dataStart, dataStart + 8),
                index.tensors().getFirst());
    }

    @Test
    void rejectsHeaderOfOnlySpaces() throws IOException {
        Path file = TestFiles.withHeader(dir, "        ", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "not a JSON object", "only spaces");
    }

    @Test
    void rejectsGarbageBetweenObjectAndSpacePadding() throws IOException {
        Path file = TestFiles.withHeader(dir, "{} x    ", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "trailing content", "at character 3", "'x'");
    }

    @Test
    void acceptsWhitespaceBetweenJsonTokens() throws Exception {
        String header = "{ \"w\" :\n\t{ \"dtype\" : \"U8\" , \"shape\" : [ 4 ] , \"data_offsets\" : [ 0 , 4 ] } }";
        Path file = TestFiles.withHeader(dir, header, 4);

        SafetensorsIndex index = Safetensors.read(file);

        assertEquals(1, index.tensors().size());
    }

    @Test
    void acceptsEmptyHeaderWithEmptyDataSection() throws Exception {
        Path file = TestFiles.withHeader(dir, "{}", 0);

        SafetensorsIndex index = Safetensors.read(file);

        assertEquals(new SafetensorsIndex(TestFiles.NAME, 2, 10, 10, Map.of(), List.of()), index);
    }

    @Test
    void rejectsDuplicateTensorNames() throws IOException {
        String header = "{" + entry("layer.0.weight", "U8", "[2]", 0, 2) + ","
                + entry("layer.0.weight", "U8", "[2]", 2, 4) + "}";
        Path file = TestFiles.withHeader(dir, header, 4);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "not valid JSON", "layer.0.weight");
        assertTrue(refusal.getMessage().toLowerCase().contains("duplicate"), refusal.getMessage());
    }

    @Test
    void rejectsDuplicateMetadataKeys() throws IOException {
        Path file = TestFiles.withHeader(dir, "{\"__metadata__\":{\"format\":\"pt\",\"format\":\"np\"}}", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "format");
        assertTrue(refusal.getMessage().toLowerCase().contains("duplicate"), refusal.getMessage());
    }

    @Test
    void rejectsDuplicateKeysInsideTensorEntry() throws IOException {
        Path file = TestFiles.withHeader(dir, "{\"w\":{\"dtype\":\"U8\",\"dtype\":\"I8\",\"shape\":[1],"
                + "\"data_offsets\":[0,1]}}", 1);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "dtype");
        assertTrue(refusal.getMessage().toLowerCase().contains("duplicate"), refusal.getMessage());
    }

    @Test
    void rejectsJsonComments() throws IOException {
        Path file = TestFiles.withHeader(dir, "{/* weights */}", 0);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "not valid JSON");
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
