/**
 * Placement: which partition holds each chunk. The choice is recorded per chunk in the manifest, so a
 * reader never recomputes it. Stateless and thread-safe.
 */
package io.modelcache.placement;
