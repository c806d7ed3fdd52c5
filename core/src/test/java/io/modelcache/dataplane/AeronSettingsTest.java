package io.modelcache.dataplane;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.modelcache.node.ModelCacheSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Aeron settings: defaults, checks, and buffers lowered to the kernel's limits. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AeronSettingsTest {

    @Test
    void defaultsAreTheMeasuredOnes() {
        AeronSettings settings = settings("");

        assertEquals(65504, settings.mtuBytes());
        assertEquals(65504, settings.ipcMtuBytes());
        assertEquals(4 << 20, settings.socketBufferBytes());
        assertEquals(4 << 20, settings.initialWindowBytes());
        assertEquals(8 << 20, settings.termLengthBytes());
        assertEquals(64 << 20, settings.ipcTermLengthBytes());
        assertEquals(AeronSettings.BACKOFF, settings.idleStrategy());
    }

    @Test
    void refusesMtuNotAMultipleOf32TermNotAPowerOfTwoAndUnknownIdleStrategy() {
        String[] invalid = {"mtu = 65505", "mtu = 131072", "term-length = 3 MiB", "ipc-term-length = 32 KiB",
            "idle-strategy = busy-spin", "response-timeout = 0 s", "port = 70000", "initial-window = 1 KiB"};
        for (String setting : invalid) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> settings(setting),
                setting);

            assertTrue(refused.getMessage().startsWith("modelcache.data-plane.aeron."), refused.getMessage());
        }
    }

    @Test
    void lowersBuffersToTheKernelLimitAndKeepsThemWithoutOne(@TempDir Path directory) throws Exception {
        Path limit = Files.writeString(directory.resolve("rmem_max"), "212992\n");

        assertEquals(212992, AeronSettings.kernelLimited(4 << 20, limit));
        assertEquals(65536, AeronSettings.kernelLimited(65536, limit));
        assertEquals(4 << 20, AeronSettings.kernelLimited(4 << 20, directory.resolve("missing")));
    }

    @Test
    void initialWindowNeverExceedsTheReceiveBuffer() {
        AeronSettings settings = settings("initial-window = 64 MiB");

        assertTrue(settings.effectiveInitialWindowBytes() <= settings.effectiveReceiveBufferBytes());
    }

    @Test
    void aeronIsAnAcceptedTransport() {
        Config config = ConfigFactory.parseString("modelcache.data-plane.transport = aeron")
            .withFallback(ConfigFactory.parseResources("modelcache-pekko.conf"))
            .withFallback(ConfigFactory.defaultReference()).resolve();

        assertEquals(ModelCacheSettings.AERON, ModelCacheSettings.from(config).transport());
    }

    private static AeronSettings settings(String overrides) {
        return AeronSettings.from(ConfigFactory.parseString(overrides)
            .withFallback(ConfigFactory.defaultReference().getConfig("modelcache.data-plane.aeron")));
    }
}
