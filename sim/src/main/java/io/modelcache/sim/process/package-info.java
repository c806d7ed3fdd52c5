/**
 * Processes the bench and the simulator start on this machine, and what they leave: {@link
 * io.modelcache.sim.process.Workspace} owns every process started and a temporary directory and removes them at the
 * end, on failure, on interrupt and on Ctrl-C; {@link io.modelcache.sim.process.DataNodes} starts modelcache data nodes
 * ({@code modelcache node}); {@link io.modelcache.sim.process.ProcessMeter} measures their CPU time and peak memory
 * from {@code /proc}; {@link io.modelcache.sim.process.JavaCommand} and {@link io.modelcache.sim.process.Ports} build
 * a child JVM's command line and find free ports.
 *
 * <p>Threading: a workspace may be used from several threads (its shutdown hook is one); the meter samples on a
 * daemon thread of its own; {@code DataNodes} and {@code ChildProcess} waits belong to one caller.
 */
package io.modelcache.sim.process;
