package io.modelcache.sim.scenario;

import java.time.Duration;
import java.util.Locale;

/**
 * What a scenario case must show to pass.
 *
 * @param identicalBytes every load that completes holds the model's bytes exactly
 * @param within every put and every load ends (completes or fails) within this time
 * @param noProcessLeft no process the run started is still running after it, and no shared-memory file of theirs
 *     is left
 * @param loads how the case's loads must end
 * @param failureContains text every failed load's message must contain; empty checks nothing
 */
public record Checks(boolean identicalBytes, Duration within, boolean noProcessLeft, ExpectedLoads loads,
                     String failureContains) {

    /** How a case's loads must end. */
    public enum ExpectedLoads {
        /** Every load completes. */
        COMPLETED,
        /** Every load of a round with faults fails (loads of later rounds may do either). */
        FAILED,
        /** Completing and failing both pass; the report says which happened. */
        ANY;

        /** @return the name used in scenario files and reports */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
