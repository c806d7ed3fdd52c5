package io.modelcache.serialization;

/**
 * Marker for every control message and registry value; bound to {@link KryoSerializer} in
 * {@code reference.conf}. Each implementing class must be registered in {@link KryoRegistrations}.
 */
public interface ControlMessage {
}
