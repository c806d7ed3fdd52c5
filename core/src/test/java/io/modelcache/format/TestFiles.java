package io.modelcache.format;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Builds small safetensors files for the tests and checks refusal messages. */
final class TestFiles {

    /** File name every helper writes, so messages can be checked for it. */
    static final String NAME = "model.safetensors";

    private TestFiles() {
    }

    /** Writes {@code headerJson} with its true length, followed by {@code dataBytes} zero bytes. */
    static Path withHeader(Path dir, String headerJson, int dataBytes) throws IOException {
        return withHeaderBytes(dir, headerJson.getBytes(StandardCharsets.UTF_8), dataBytes);
    }

    /** Writes raw header bytes with their true length, followed by {@code dataBytes} zero bytes. */
    static Path withHeaderBytes(Path dir, byte[] header, int dataBytes) throws IOException {
        Path file = dir.resolve(NAME);
        SafetensorsWriter.writeRaw(file, header, header.length, new byte[dataBytes]);
        return file;
    }

    /** Writes a header holding only the given tensor entries (comma-separated JSON members). */
    static Path withEntries(Path dir, String entries, int dataBytes) throws IOException {
        return withHeader(dir, "{" + entries + "}", dataBytes);
    }

    /** Renders one tensor entry as a JSON member. */
    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
                + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    /** Grows a file to {@code sizeBytes} without writing data; the file system keeps the new part sparse. */
    static void extendSparse(Path file, long sizeBytes) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(sizeBytes);
        }
    }

    /** Reads the file expecting a refusal, and returns it. */
    static InvalidModelException refused(Path file) {
        return assertThrows(InvalidModelException.class, () -> Safetensors.read(file));
    }

    /** Asserts the message names the file and contains every part. */
    static void assertMessageContains(InvalidModelException refusal, String... parts) {
        String message = refusal.getMessage();
        assertTrue(message.contains(NAME), () -> "message does not name the file: " + message);
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "message lacks \"" + part + "\": " + message);
        }
    }
}
