package io.modelcache.writer;

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
     * @param seconds how long the put took
     * @param alreadyStored whether the same content was already stored under this name
     */
    record Stored(String modelId, long bytes, int files, int tensors, int chunks, int partitions, double seconds,
                  boolean alreadyStored) implements PutResult {
    }

    /**
     * The put failed; nothing of it stays visible or allocated.
     *
     * @param reason one line saying what was wrong
     */
    record Failed(String reason) implements PutResult {
    }
}
