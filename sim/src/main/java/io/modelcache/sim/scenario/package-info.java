/**
 * The multi-JVM simulator behind {@code modelcache sim}: a {@link io.modelcache.sim.scenario.Scenario} read from
 * HOCON by {@link io.modelcache.sim.scenario.ScenarioParser} (strict: every key known, every value in range), run by
 * {@link io.modelcache.sim.scenario.SimRunner} on clusters of real node JVMs with client JVMs
 * ({@link io.modelcache.sim.SimClient}) driven over a line protocol ({@link io.modelcache.sim.scenario.ProtocolLine}),
 * with faults done to node processes (SIGKILL, SIGSTOP and SIGCONT, SIGTERM, a new node), checks, and a results
 * folder: CSV, Markdown summary with the time model's predictions, PNG plots.
 *
 * <p>Threading: a run is one thread, which waits on the clients' events with timeouts; each client's output is read
 * by a daemon thread of its own onto a queue the run polls, so the run stays interruptible.
 */
package io.modelcache.sim.scenario;
