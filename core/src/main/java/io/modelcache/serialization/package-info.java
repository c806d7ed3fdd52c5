/**
 * How modelcache messages cross the wire.
 *
 * <p>Control messages implement {@link io.modelcache.serialization.ControlMessage} and are written by
 * {@link io.modelcache.serialization.KryoSerializer}, which refuses any class not registered in
 * {@link io.modelcache.serialization.KryoRegistrations} under its fixed id. Messages that carry chunk bytes
 * implement {@link io.modelcache.serialization.ChunkMessage} and are written by
 * {@link io.modelcache.serialization.ChunkSerializer} straight between off-heap segments and Artery's
 * buffers, so chunk bytes never sit on the Java heap.
 *
 * <p>Threading: serializers are called concurrently from Artery's lanes; they hold no mutable state
 * besides a pool of Kryo instances.
 */
package io.modelcache.serialization;
