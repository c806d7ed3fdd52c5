package io.modelcache.serialization;

/**
 * Marker for messages that carry chunk bytes; bound to {@link ChunkSerializer} in {@code reference.conf}.
 */
public interface ChunkMessage {
}
