package io.modelcache.writer;

import io.modelcache.node.TransferStrategy;

/** The answer to a put. */
public sealed interface PutResult {

    /**
     * The model is stored and {@code READY}.
     *
     * @param modelId {@code name@version}
     * @param bytes the model's size
     * @param files the number of files
     * @param tensors the number of tensors found in safetensors files
     * @param chunks the number of chunks
     * @param partitions the number of partitions
     * @param replicas how many times each partition is stored
     * @param strategy the store strategy
     * @param parallelism chunks the strategy allowed in flight (0 when already stored)
     * @param peakInFlight the most chunks that were unacknowledged at once
     * @param seconds how long the put took
     * @param alreadyStored whether the same content was already stored under this name
     */
    record Stored(String modelId, long bytes, int files, int tensors, int chunks, int partitions, int replicas,
                  TransferStrategy strategy, int parallelism, int peakInFlight, double seconds, boolean alreadyStored)
        implements PutResult {

        /** @return model bytes per second over the whole put, in MB/s (10^6 bytes); replicas not counted */
        public double megabytesPerSecond() {
            return seconds > 0 ? bytes / seconds / 1e6 : 0;
        }
    }

    /**
     * The put failed; nothing of it stays visible or allocated.
     *
     * @param reason one line saying what was wrong
     */
    record Failed(String reason) implements PutResult {
    }
}
