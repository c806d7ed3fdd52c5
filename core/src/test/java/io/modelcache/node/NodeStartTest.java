package io.modelcache.node;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.FileAlreadyExistsException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Starting a member with bad input fails with one line that names the value. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeStartTest {

    @Test
    void secondNodeOnATakenPortFailsNamingTheAddress() {
        try (ModelCacheNode first = ModelCacheNode.start(ModelCacheNode.Role.DATA, "127.0.0.1", 0, List.of(),
            ConfigFactory.empty())) {
            int port = Integer.parseInt(first.hostPort().substring(first.hostPort().indexOf(':') + 1));

            IllegalStateException error = assertThrows(IllegalStateException.class, () -> ModelCacheNode.start(
                ModelCacheNode.Role.DATA, "127.0.0.1", port, List.of(), ConfigFactory.empty()));

            assertEquals("cannot listen on 127.0.0.1:" + port + ": address already in use (is a node already "
                + "running there?)", error.getMessage());
        }
    }

    @Test
    void chunkSizeThatDoesNotFitTheFrameIsRefusedAtStart() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ModelCacheNode.start(
            ModelCacheNode.Role.DATA, "127.0.0.1", 0, List.of(),
            ConfigFactory.parseString("modelcache.chunk-size = 8MiB")));

        assertEquals("modelcache.chunk-size 8388608 bytes does not fit pekko.remote.artery.advanced."
            + "maximum-large-frame-size 4259840 bytes; the frame must be at least 8454144 bytes", error.getMessage());
    }

    @Test
    void seedThatIsNotHostAndPortIsRefused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ModelCacheNode.start(
            ModelCacheNode.Role.CLIENT, "127.0.0.1", 0, List.of("banana"), ConfigFactory.empty()));

        assertEquals("seed 'banana' is not HOST:PORT", error.getMessage());
    }

    @Test
    void fileSystemFailuresSayWhatHappenedToThePath() {
        CompletionException wrapped = new CompletionException(new FileAlreadyExistsException("/tmp/out"));

        assertEquals("already exists and is not a directory: /tmp/out", Failures.describe(wrapped));
    }
}
