package io.modelcache.dataplane;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.modelcache.loader.OffHeapDestination;
import io.modelcache.store.NodeStore;
import io.modelcache.store.StoredChunk;
import io.modelcache.testkit.SharedMemory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Embedded and shared media drivers: who owns the directory, and IPC between members sharing one. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AeronMediaDriverTest {

    @AfterAll
    static void leavesNothingInSharedMemory() throws IOException {
        SharedMemory.assertNoAeronDirectoryLeft();
    }

    @Test
    void embeddedDriverLivesInSharedMemoryAndDeletesItsDirectoryOnClose() {
        Path directory;
        try (AeronMediaDriver driver = AeronMediaDriver.start(AeronDataPlaneContract.SETTINGS)) {
            directory = Path.of(driver.directory());

            assertTrue(driver.isEmbedded());
            assertTrue(directory.getFileName().toString().startsWith(AeronMediaDriver.directoryPrefix()));
            assertTrue(Files.isDirectory(directory));
        }
        assertFalse(Files.exists(directory), directory + " deleted");
    }

    @Test
    void membersSetToOneDirectoryShareTheFirstOnesDriverAndReadOverIpc() throws Exception {
        String shared = Path.of(AeronMediaDriver.uniqueDirectory()).resolveSibling(
            AeronMediaDriver.directoryPrefix() + "shared").toString();
        AeronSettings settings = AeronSettings.from(ConfigFactory.empty()
            .withValue("directory", ConfigValueFactory.fromAnyRef(shared))
            .withFallback(ConfigFactory.defaultReference().getConfig("modelcache.data-plane.aeron")));
        NodeStore store = new NodeStore(1 << 20);
        StoredChunk chunk = store.allocate(1 << 16);
        byte[] bytes = new byte[1 << 16];
        new Random(3).nextBytes(bytes);
        chunk.fill(MemorySegment.ofArray(bytes));
        TicketTable tickets = new TicketTable(System::nanoTime);
        Ticket ticket = tickets.issue(1, DataPlaneContract.REQUESTER, "p", Map.of(0, chunk),
            TimeUnit.MINUTES.toNanos(1));
        try (AeronMediaDriver node = AeronMediaDriver.start(settings);
             AeronMediaDriver loader = AeronMediaDriver.start(settings);
             AeronDataServer server = AeronDataServer.start(node, "127.0.0.1", 0, tickets);
             AeronDataClient client = new AeronDataClient(loader);
             OffHeapDestination destination = DataPlaneContract.destination(1 << 16)) {
            DataRoute route = new DataRoute(server.transport(), server.host(), server.port(), ticket);

            client.fetch(route, 1, 0, 0, 1 << 16, destination, 0, 0);

            assertTrue(node.isEmbedded());
            assertFalse(loader.isEmbedded(), "the second member attached to the first one's driver");
            assertEquals("aeron:ipc", client.medium(route));
            assertEquals(-1, MemorySegment.ofArray(bytes).mismatch(destination.file(0)));
        } finally {
            chunk.release();
        }
        assertFalse(Files.exists(Path.of(shared)), shared + " deleted by the member that embedded the driver");
    }
}
