/**
 * The {@code modelcache bench} and {@code modelcache sim} command lines, and the small main classes they start as
 * separate JVMs: {@link io.modelcache.sim.RawTcpServer}, {@link io.modelcache.sim.HazelcastMember},
 * {@link io.modelcache.sim.SimClient} (a simulated inference service) and {@link io.modelcache.sim.ParentWatch}, which
 * ends a child JVM when the process that started it is gone.
 *
 * <p>Threading: commands run on the main thread.
 */
package io.modelcache.sim;
