/**
 * The manifest of a model and the registry that replicates it.
 *
 * <p>A {@link io.modelcache.manifest.Manifest} holds everything needed to find and check a model: files
 * with SHA-256, tensors, chunks with CRC32C and partition, placement and state. The
 * {@link io.modelcache.manifest.ManifestRegistry} actor keeps manifests in Distributed Data (an
 * {@code LWWMap} keyed by model name), writes with majority and reads with majority, falling back to the
 * local replica when a majority does not answer.
 *
 * <p>Threading: manifests are immutable values; the registry is an actor.
 */
package io.modelcache.manifest;
