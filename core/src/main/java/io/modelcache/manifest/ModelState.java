package io.modelcache.manifest;

/** Where a model is in its life; readers see only {@link #READY} models. */
public enum ModelState {
    /** Chunks are being stored; invisible to loads. */
    STAGING,
    /** Every chunk is stored and acknowledged with a matching CRC32C. */
    READY,
    /** Being removed; invisible to loads. */
    DELETING
}
