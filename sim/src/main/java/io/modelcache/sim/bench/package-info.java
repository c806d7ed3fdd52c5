/**
 * The bench: the same bytes stored in several systems (the page cache, a plain TCP stream, Redis, memcached,
 * Hazelcast, modelcache) and read back by 1..N concurrent clients, side by side.
 *
 * <p>{@link io.modelcache.sim.bench.Bench} runs it; each system is a {@link io.modelcache.sim.bench.BenchSystem};
 * {@link io.modelcache.sim.process.Workspace} owns every process and temporary file a run creates and removes
 * them at the end, on failure and on Ctrl-C.
 *
 * <p>Threading: a bench runs on the caller's thread; a measurement starts one thread per client and waits for
 * all of them with a timeout. Systems are not thread-safe and are used by one bench at a time.
 */
package io.modelcache.sim.bench;
