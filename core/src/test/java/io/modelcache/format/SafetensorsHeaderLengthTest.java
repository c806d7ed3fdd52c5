package io.modelcache.format;

import static io.modelcache.format.TestFiles.assertMessageContains;
import static io.modelcache.format.TestFiles.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 8-byte header length prefix: file too short, length too small, larger than the file, over the limit. */
class SafetensorsHeaderLengthTest {

    @TempDir
    Path dir;

    @Test
    void rejectsFileShorterThanLengthPrefix() throws IOException {
        Path file = dir.resolve(TestFiles.NAME);
        Files.write(file, new byte[] {2, 0, 0, 0, 0});

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "is 5 bytes", "8-byte header length prefix");
    }

    @Test
    void rejectsEmptyFile() throws IOException {
        Path file = Files.createFile(dir.resolve(TestFiles.NAME));

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "is 0 bytes", "8-byte");
    }

    @Test
    void rejectsHeaderLongerThanFile() throws IOException {
        Path file = dir.resolve(TestFiles.NAME);
        SafetensorsWriter.writeRaw(file, "{}".getBytes(StandardCharsets.UTF_8), 100, new byte[6]);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "header length 100 bytes exceeds file size 16 bytes", "at most 8 bytes");
    }

    @Test
    void rejectsHeaderLengthOfLongMaxValue() throws IOException {
        Path file = dir.resolve(TestFiles.NAME);
        SafetensorsWriter.writeRaw(file, new byte[4088], Long.MAX_VALUE, new byte[0]);

        InvalidModelException refusal = refused(file);

        assertEquals("header length 9223372036854775807 bytes exceeds file size 4096 bytes in model.safetensors"
                + " (at most 4088 bytes follow the 8-byte length prefix)", refusal.getMessage());
    }

    @Test
    void rejectsHeaderLengthWithTopBitSetAsUnsignedValue() throws IOException {
        Path file = dir.resolve(TestFiles.NAME);
        SafetensorsWriter.writeRaw(file, "{}".getBytes(StandardCharsets.UTF_8), -1L, new byte[0]);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "header length 18446744073709551615 bytes exceeds file size 10 bytes");
    }

    @Test
    void rejectsHeaderLengthOfLongMinValueAsUnsignedValue() throws IOException {
        Path file = dir.resolve(TestFiles.NAME);
        SafetensorsWriter.writeRaw(file, "{}".getBytes(StandardCharsets.UTF_8), Long.MIN_VALUE, new byte[0]);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "header length 9223372036854775808 bytes exceeds file size 10 bytes");
    }

    @Test
    void rejectsZeroHeaderLength() throws IOException {
        Path file = dir.resolve(TestFiles.NAME);
        SafetensorsWriter.writeRaw(file, new byte[0], 0, new byte[16]);

        InvalidModelException refusal = refused(file);

        assertEquals("header length 0 bytes in model.safetensors: must be at least 2 (an empty JSON object)",
                refusal.getMessage());
    }

    @Test
    void rejectsOneByteHeaderLength() throws IOException {
        Path file = dir.resolve(TestFiles.NAME);
        SafetensorsWriter.writeRaw(file, "{".getBytes(StandardCharsets.UTF_8), 1, new byte[0]);

        InvalidModelException refusal = refused(file);

        assertMessageContains(refusal, "header length 1 bytes", "must be at least 2");
    }

    @Test
    void rejectsHeaderLengthOneByteOverLimit() throws IOException {
        long declaredBytes = Safetensors.MAX_HEADER_BYTES + 1;
        Path file = dir.resolve(TestFiles.NAME);
        SafetensorsWriter.writeRaw(file, "{}".getBytes(StandardCharsets.UTF_8), declaredBytes, new byte[0]);
        TestFiles.extendSparse(file, Safetensors.LENGTH_PREFIX_BYTES + declaredBytes);

        InvalidModelException refusal = refused(file);

        assertEquals("header length 104857601 bytes exceeds the limit of 104857600 bytes in model.safetensors",
                refusal.getMessage());
    }

    @Test
    void acceptsHeaderLengthExactlyAtLimit() throws Exception {
        byte[] header = new byte[(int) Safetensors.MAX_HEADER_BYTES];
        Arrays.fill(header, (byte) ' ');
        header[0] = '{';
        header[1] = '}';
        Path file = TestFiles.withHeaderBytes(dir, header, 0);

        SafetensorsIndex index = Safetensors.read(file);

        assertEquals(104_857_600L, index.headerLengthBytes());
        assertEquals(104_857_608L, index.dataStartOffset());
        assertEquals(0, index.tensors().size());
    }
}
