package io.modelcache.placement;

/**
 * What a placement knows of a chunk: where it sits in the model. Its id is its index in the list given to
 * {@link Placement#assign}.
 *
 * @param fileIndex index of the chunk's file in the model
 * @param chunkInFile the chunk's index within its file
 */
public record ChunkKey(int fileIndex, long chunkInFile) {
}
