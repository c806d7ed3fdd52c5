package io.modelcache.placement;

import java.util.ArrayList;
import java.util.List;

/** A model's chunks as a placement sees them, cut from file sizes the way the writer cuts files. */
record Chunks(List<ChunkKey> keys, long[] lengthsBytes) {

    /** Cuts files of the given sizes into chunks of at most {@code chunkSizeBytes}, in file order. */
    static Chunks of(long chunkSizeBytes, long... fileSizesBytes) {
        List<ChunkKey> keys = new ArrayList<>();
        List<Long> lengths = new ArrayList<>();
        for (int fileIndex = 0; fileIndex < fileSizesBytes.length; fileIndex++) {
            long chunkInFile = 0;
            for (long offset = 0; offset < fileSizesBytes[fileIndex]; offset += chunkSizeBytes, chunkInFile++) {
                keys.add(new ChunkKey(fileIndex, chunkInFile));
                lengths.add(Math.min(chunkSizeBytes, fileSizesBytes[fileIndex] - offset));
            }
        }
        return new Chunks(List.copyOf(keys), lengths.stream().mapToLong(Long::longValue).toArray());
    }

    /** {@code count} chunks in two files, the first holding half of them rounded down. */
    static Chunks count(int count) {
        return of(1, count / 2, count - count / 2);
    }

    int size() {
        return keys.size();
    }
}
