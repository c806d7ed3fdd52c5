package io.modelcache.timing;

import io.modelcache.node.TransferStrategy;
import io.modelcache.timing.TimeModel.Observation;
import io.modelcache.timing.TimeModel.Transfer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeModelTest {
    private static final long MODEL_BYTES = 133_093_490;
    private static final TimeModel KNOWN = new TimeModel(5e-3, 2e-3, 600e6, 900e6, 1500e6);

    @Test
    void serialTransferTakesEachRequestInTurn() {
        Transfer serial = new Transfer(TransferStrategy.SERIAL, 16, 3, 32L << 22, 32);

        assertEquals(5e-3 + 32 * (2e-3 + (4 << 20) / 600e6), KNOWN.seconds(serial), 1e-9);
    }

    @Test
    void parallelismHelpsUntilTheNodesOrTheReceiverSaturate() {
        double one = KNOWN.seconds(new Transfer(TransferStrategy.BOUNDED, 1, 3, MODEL_BYTES, 32));
        double two = KNOWN.seconds(new Transfer(TransferStrategy.BOUNDED, 2, 3, MODEL_BYTES, 32));
        double saturated = KNOWN.seconds(new Transfer(TransferStrategy.BOUNDED, 4, 3, MODEL_BYTES, 32));

        assertEquals((one - 5e-3) / 2, two - 5e-3, 1e-9, "two streams, twice the rate");
        assertEquals(5e-3 + MODEL_BYTES / 1500e6, saturated, 1e-9, "the receiver's bandwidth bounds four streams");
        assertEquals(saturated, KNOWN.seconds(new Transfer(TransferStrategy.BOUNDED, 16, 3, MODEL_BYTES, 32)), 1e-9);
        assertEquals(saturated, KNOWN.seconds(new Transfer(TransferStrategy.PARALLEL, 1, 3, MODEL_BYTES, 32)), 1e-9);
    }

    @Test
    void loadRequestsFollowTheLoadersBatching() {
        assertEquals(32, TimeModel.loadRequests(32, 1, 1));
        assertEquals(4, TimeModel.loadRequests(32, 1, 8));
        assertEquals(32, TimeModel.loadRequests(32, 32, 8), "one chunk each when every fetcher needs work");
        assertEquals(1, TimeModel.loadRequests(1, 4, 8));
        assertEquals(0, TimeModel.loadRequests(0, 4, 8));
        int requests = TimeModel.loadRequests(128, 4, 8);
        assertTrue(requests > 128 / 8 && requests < 128 / 4, "got " + requests);
    }

    @Test
    void fitRecoversTheConstantsOfMeasurementsItCouldHaveMade() {
        List<Observation> observations = new ArrayList<>();
        for (TransferStrategy strategy : TransferStrategy.values()) {
            for (int p : new int[] {1, 2, 4, 8, 16}) {
                for (int requests : new int[] {8, 32, 128}) {
                    for (long requestBytes : new long[] {1 << 20, 4 << 20, 32 << 20}) {
                        for (int nodes = 1; nodes <= 3; nodes++) { // one node saturates before the receiver
                            Transfer transfer = new Transfer(strategy, p, nodes, requests * requestBytes, requests);
                            observations.add(new Observation(transfer, KNOWN.seconds(transfer)));
                        }
                    }
                }
            }
        }

        TimeModel fitted = TimeModel.fit(observations);

        assertTrue(fitted.logError(observations) < 0.01, fitted + " misses by " + fitted.logError(observations));
        assertEquals(KNOWN.setupSeconds(), fitted.setupSeconds(), KNOWN.setupSeconds() * 0.05);
        assertEquals(KNOWN.latencySeconds(), fitted.latencySeconds(), KNOWN.latencySeconds() * 0.05);
        assertEquals(KNOWN.streamBytesPerSecond(), fitted.streamBytesPerSecond(), KNOWN.streamBytesPerSecond() * 0.05);
        assertEquals(KNOWN.nodeBytesPerSecond(), fitted.nodeBytesPerSecond(), KNOWN.nodeBytesPerSecond() * 0.05);
        assertEquals(KNOWN.sinkBytesPerSecond(), fitted.sinkBytesPerSecond(), KNOWN.sinkBytesPerSecond() * 0.05);
    }

    @Test
    void fitRefusesMeasurementsWithoutTime() {
        Transfer transfer = new Transfer(TransferStrategy.SERIAL, 1, 3, 100, 1);

        assertThrows(IllegalArgumentException.class, () -> TimeModel.fit(List.of()));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> TimeModel.fit(List.of(new Observation(transfer, 0))));
        assertTrue(refused.getMessage().contains("no positive seconds"), refused.getMessage());
    }
}
