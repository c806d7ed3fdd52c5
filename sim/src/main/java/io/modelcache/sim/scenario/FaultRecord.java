package io.modelcache.sim.scenario;

/**
 * What happened when a fault was done, and to the load it was done during.
 *
 * @param caseName the scenario case
 * @param point the sweep point's number in its case, from 1
 * @param fault the fault as the scenario gives it
 * @param isApplied whether it was done (a progress fault is not when the load ends before reaching its fraction)
 * @param appliedAtSeconds when it was done, in seconds after the loads were sent; NaN when not done
 * @param loadedFraction the first client's bytes loaded when it was done, 0..1; NaN when not known (a fault at a
 *     time)
 * @param detail what followed: the node's exit code, how long a new node took to join, why it was not done
 */
public record FaultRecord(String caseName, int point, Fault fault, boolean isApplied, double appliedAtSeconds,
                          double loadedFraction, String detail) {
}
