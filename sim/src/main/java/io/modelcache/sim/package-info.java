/**
 * The {@code modelcache bench} command line (and later {@code modelcache sim}), and the small main classes the
 * bench starts as separate JVMs: {@link io.modelcache.sim.RawTcpServer}, {@link io.modelcache.sim.HazelcastMember}
 * and {@link io.modelcache.sim.ParentWatch}, which ends a child JVM when the bench that started it is gone.
 *
 * <p>Threading: commands run on the main thread.
 */
package io.modelcache.sim;
