package io.modelcache.manifest;

import io.modelcache.serialization.ControlMessage;

/**
 * One chunk: a contiguous byte range of one file. A chunk's id is its index in {@link Manifest#chunks()}.
 *
 * @param fileIndex index of the file in {@link Manifest#files()}
 * @param offsetBytes where the chunk starts in the file
 * @param lengthBytes the chunk's length, at most the manifest's chunk size
 * @param crc32c CRC32C of the chunk's bytes, an unsigned 32-bit value
 * @param partition the partition that holds the chunk
 */
public record ChunkEntry(int fileIndex, long offsetBytes, int lengthBytes, long crc32c, int partition)
    implements ControlMessage {
}
