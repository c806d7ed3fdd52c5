package io.modelcache.loader;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcache.manifest.FileEntry;
import io.modelcache.manifest.Manifest;
import io.modelcache.manifest.ModelState;
import io.modelcache.store.NodeStore;
import io.modelcache.store.StoredChunk;
import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Writes into an {@link OffHeapDestination}: ranges are checked, closing stops writes, digests are right. */
class LoadDestinationTest {
    private final OffHeapDestination destination = new OffHeapDestination(new Manifest("m", "v", ModelState.READY,
        "hash", 1, 4096, List.of(new FileEntry("config.json", 1000, ""), new FileEntry("model.bin", 10_000, ""),
        new FileEntry("empty.txt", 0, "")), List.of(), List.of(), 0));

    @AfterEach
    void closeDestination() {
        destination.close();
    }

    @Test
    void rejectsWriteRunningPastFileEnd() {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
            () -> destination.write(0, 900, MemorySegment.ofArray(new byte[200])));

        assertEquals("range of 200 bytes at offset 900 falls outside file 0 of 1000 bytes", refusal.getMessage());
    }

    @Test
    void rejectsWriteAtNegativeOffset() {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
            () -> destination.write(1, -1, MemorySegment.ofArray(new byte[1])));

        assertTrue(refusal.getMessage().contains("offset -1"), refusal::getMessage);
        assertTrue(refusal.getMessage().contains("10000 bytes"), refusal::getMessage);
    }

    @Test
    void rejectsWriteAtOffsetNearLongMaxValue() {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
            () -> destination.write(1, Long.MAX_VALUE, MemorySegment.ofArray(new byte[8])));

        assertTrue(refusal.getMessage().contains("offset " + Long.MAX_VALUE), refusal::getMessage);
    }

    @Test
    void rejectsWriteToFileIndexOutsideManifest() {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
            () -> destination.write(3, 0, MemorySegment.ofArray(new byte[1])));

        assertEquals("file index 3 is outside 0..2", refusal.getMessage());
    }

    @Test
    void rejectsStoredChunkRunningPastFileEnd() {
        StoredChunk chunk = new NodeStore(4096).allocate(4096);

        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
            () -> destination.write(1, 8192, chunk));

        assertEquals("range of 4096 bytes at offset 8192 falls outside file 1 of 10000 bytes", refusal.getMessage());
        chunk.release();
    }

    @Test
    void acceptsWriteEndingExactlyAtFileEndAndEmptyWriteToEmptyFile() {
        assertTrue(destination.write(0, 999, MemorySegment.ofArray(new byte[] {42})));
        assertTrue(destination.write(2, 0, MemorySegment.ofArray(new byte[0])));
    }

    @Test
    void writeAfterCloseAnswersFalse() {
        StoredChunk chunk = new NodeStore(100).allocate(100);
        destination.close();

        assertFalse(destination.write(1, 0, MemorySegment.ofArray(new byte[100])));
        assertFalse(destination.write(1, 0, chunk));
        assertEquals(-1, destination.crc32c(1, 0, 100));
        assertThrows(IllegalStateException.class, () -> destination.sha256Hex(1));
        assertDoesNotThrow(destination::close);
        chunk.release();
    }

    @Test
    void sha256OfWrittenFileMatchesDigestOfHeapCopy() throws NoSuchAlgorithmException {
        byte[] expected = new byte[10_000];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) (i * 131 + (i >>> 8));
        }
        StoredChunk middle = new NodeStore(4096).allocate(4096);
        middle.fill(MemorySegment.ofArray(expected).asSlice(4096, 4096));

        destination.write(1, 0, MemorySegment.ofArray(expected).asSlice(0, 4096));
        destination.write(1, 4096, middle);
        destination.write(1, 8192, MemorySegment.ofArray(expected).asSlice(8192));

        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected));
        assertEquals(digest, destination.sha256Hex(1));
        middle.release();
    }

    @Test
    void sha256OfEmptyFileIsDigestOfNothing() throws NoSuchAlgorithmException {
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest());

        assertEquals(digest, destination.sha256Hex(2));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", digest);
    }
}
