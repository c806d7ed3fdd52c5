package io.modelcache.testkit;

import io.modelcache.dataplane.AeronMediaDriver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Checks on the system's shared memory, where embedded Aeron media drivers keep their directories. */
public final class SharedMemory {
    private SharedMemory() {
    }

    /** Fails naming every directory that an embedded media driver of this JVM left in {@code /dev/shm}. */
    public static void assertNoAeronDirectoryLeft() throws IOException {
        Path shm = Path.of("/dev/shm");
        if (!Files.isDirectory(shm)) {
            return;
        }
        try (Stream<Path> entries = Files.list(shm)) {
            List<Path> left = entries
                .filter(entry -> entry.getFileName().toString().startsWith(AeronMediaDriver.directoryPrefix()))
                .toList();

            assertEquals(List.of(), left, "Aeron media driver directories left in " + shm);
        }
    }
}
