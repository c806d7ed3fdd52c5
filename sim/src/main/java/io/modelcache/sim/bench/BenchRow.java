package io.modelcache.sim.bench;

/**
 * One measured line: a system read by some clients.
 *
 * @param system the system's name
 * @param clients concurrent clients
 * @param megabytesPerSecond the median aggregate throughput, in MB/s (10^6 bytes per second)
 * @param runs how many measured runs the median is of
 */
public record BenchRow(String system, int clients, double megabytesPerSecond, int runs) {
}
