package io.modelcache.client;

/** A request the cluster refused or could not carry out; the message is one line saying why. */
public final class ModelCacheException extends RuntimeException {
    /** @param message what was wrong */
    public ModelCacheException(String message) {
        super(message);
    }
}
