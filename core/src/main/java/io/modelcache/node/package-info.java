/**
 * A member's runtime: settings, the off-heap store's home ({@link io.modelcache.node.NodeRuntime}), the
 * actor system with its guardian ({@link io.modelcache.node.ModelCacheNode}) and the data node's agent.
 *
 * <p>Threading: {@code ModelCacheNode} is used from the caller's thread to start and stop; everything it
 * starts runs in actors.
 */
package io.modelcache.node;
