package io.modelcache.sim.scenario;

/**
 * A scenario file that cannot be run: not HOCON, an unknown key, a value of the wrong type or out of range, or
 * settings that contradict each other. The message names the file, the key (as written in the file, for example
 * {@code cases[2].sweep.replicas}), the value and the limit.
 */
public final class InvalidScenarioException extends IllegalArgumentException {
    /** @param message one line: the file, the key, the value and what is wrong with it */
    public InvalidScenarioException(String message) {
        super(message);
    }
}
