package io.modelcache.manifest;

import io.modelcache.serialization.ControlMessage;

/**
 * One file of a model.
 *
 * @param path the file's path relative to the model's root, with '/' separators
 * @param sizeBytes the file's size
 * @param sha256Hex the SHA-256 of the file's bytes, lower-case hex
 */
public record FileEntry(String path, long sizeBytes, String sha256Hex) implements ControlMessage {
}
