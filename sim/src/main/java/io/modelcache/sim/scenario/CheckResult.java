package io.modelcache.sim.scenario;

/**
 * One check of a scenario case and how it came out.
 *
 * @param caseName the case, or {@code *} for a check of the whole run
 * @param check what was checked, for example {@code identical-bytes}
 * @param isPassed whether it held
 * @param detail the evidence: what was seen, or what broke it
 */
public record CheckResult(String caseName, String check, boolean isPassed, String detail) {
}
