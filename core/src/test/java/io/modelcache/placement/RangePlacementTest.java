package io.modelcache.placement;

import io.modelcache.format.DType;
import io.modelcache.format.SafetensorsWriter;
import io.modelcache.format.TensorSpec;
import io.modelcache.manifest.ChunkEntry;
import io.modelcache.manifest.Manifest;
import io.modelcache.manifest.TensorEntry;
import io.modelcache.writer.ModelPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code range} keeps tensors together. A tensor no larger than a chunk spans at most two chunks, so it sits in
 * at most two partitions under any placement; what range adds is that partitions are contiguous runs, so a
 * tensor crosses a partition boundary only where a run ends: at most one tensor per boundary, and a tensor of
 * up to a run's length still sits in at most two partitions. Each check is also run against {@code hash} on
 * the same model, which fails it, so the checks can tell the placements apart.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RangePlacementTest {
    private static final int CHUNK_BYTES = 4096;

    @TempDir
    Path tempDir;

    @Test
    void keepsEveryTensorNoLargerThanAChunkInAtMostTwoPartitionsAndOneTensorPerBoundary() throws Exception {
        Path model = writeModel(tempDir.resolve("small.safetensors"), 600, CHUNK_BYTES, 11);

        try (ModelPlan plan = readPlan(model, RangePlacement.INSTANCE, 24)) {
            Manifest manifest = plan.manifest();
            int mostPartitions = 0;
            int crossingBoundaries = 0;
            for (TensorEntry tensor : manifest.tensors()) {
                int spanned = partitionsOf(manifest, tensor).size();
                mostPartitions = Math.max(mostPartitions, spanned);
                crossingBoundaries += spanned - 1;
            }

            assertTrue(manifest.chunks().size() > 200, "the model needs many chunks: " + manifest.chunks().size());
            assertTrue(mostPartitions <= 2, "a tensor sits in " + mostPartitions + " partitions");
            assertTrue(crossingBoundaries <= 23, crossingBoundaries + " tensor crossings over 23 boundaries");
        }
    }

    @Test
    void keepsEveryTensorUpToARunOfChunksInAtMostTwoPartitions() throws Exception {
        Path model = writeModel(tempDir.resolve("large.safetensors"), 400, 4 * CHUNK_BYTES, 12);

        try (ModelPlan plan = readPlan(model, RangePlacement.INSTANCE, 16)) {
            Manifest manifest = plan.manifest();
            int shortestRun = manifest.chunks().size() / manifest.partitionCount();

            assertTrue(shortestRun >= 5, "runs of " + shortestRun + " chunks must outlast a 4-chunk tensor");
            for (TensorEntry tensor : manifest.tensors()) {
                assertTrue(partitionsOf(manifest, tensor).size() <= 2, tensor + " sits in partitions "
                    + partitionsOf(manifest, tensor));
            }
        }
    }

    @Test
    void hashPlacementFailsBothChecksOnTheSameModels() throws Exception {
        Path small = writeModel(tempDir.resolve("small.safetensors"), 600, CHUNK_BYTES, 11);
        Path large = writeModel(tempDir.resolve("large.safetensors"), 400, 4 * CHUNK_BYTES, 12);

        int crossingBoundaries = 0;
        try (ModelPlan plan = readPlan(small, HashPlacement.INSTANCE, 24)) {
            for (TensorEntry tensor : plan.manifest().tensors()) {
                crossingBoundaries += partitionsOf(plan.manifest(), tensor).size() - 1;
            }
        }
        int mostPartitions = 0;
        try (ModelPlan plan = readPlan(large, HashPlacement.INSTANCE, 16)) {
            for (TensorEntry tensor : plan.manifest().tensors()) {
                mostPartitions = Math.max(mostPartitions, partitionsOf(plan.manifest(), tensor).size());
            }
        }

        assertTrue(crossingBoundaries > 23, "hash crossed partition boundaries only " + crossingBoundaries + " times");
        assertTrue(mostPartitions > 2, "hash kept every tensor in at most " + mostPartitions + " partitions");
    }

    @Test
    void cutsTheChunkSequenceIntoContiguousRunsOfEqualLengthWithinOne() {
        Chunks chunks = Chunks.of(4 << 20, 9_976_576_152L, 3_500_296_424L);
        int chunkCount = chunks.size();
        int partitionCount = 24;

        int[] partitions = RangePlacement.INSTANCE.assign(chunks.keys(), partitionCount, 0);

        int[] expected = new int[chunkCount];
        for (int partition = 0; partition < partitionCount; partition++) {
            for (long chunkId = (long) partition * chunkCount / partitionCount;
                 chunkId < (partition + 1L) * chunkCount / partitionCount; chunkId++) {
                expected[(int) chunkId] = partition;
            }
        }
        assertArrayEquals(expected, partitions);
        int[] runLengths = new int[partitionCount];
        for (int partition : partitions) {
            runLengths[partition]++;
        }
        int shortest = Integer.MAX_VALUE;
        int longest = 0;
        for (int length : runLengths) {
            shortest = Math.min(shortest, length);
            longest = Math.max(longest, length);
        }
        assertTrue(longest - shortest <= 1, "runs of " + shortest + ".." + longest + " chunks");
    }

    /** Writes {@code count} tensors of assorted dtypes and sizes from one element up to {@code maxBytes}. */
    private static Path writeModel(Path file, int count, int maxBytes, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        DType[] dtypes = {DType.U8, DType.F16, DType.F32};
        List<TensorSpec> tensors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DType dtype = dtypes[random.nextInt(dtypes.length)];
            // Skewed towards small tensors, as biases and norms are, with some of the largest size.
            int elements = random.nextInt(4) == 0 ? maxBytes / dtype.bytesPerElement()
                : 1 + random.nextInt(maxBytes / dtype.bytesPerElement());
            tensors.add(new TensorSpec(String.format("layer.%04d.weight", i), dtype, new long[] {elements}));
        }
        SafetensorsWriter.write(file, Map.of(), tensors, seed);
        return file;
    }

    private static ModelPlan readPlan(Path model, Placement placement, int partitionCount) throws Exception {
        return ModelPlan.read(model, "m", CHUNK_BYTES,
            PlacementChoice.exactly(placement, partitionCount, OptionalLong.empty()));
    }

    /** The partitions holding any byte of the tensor. */
    static TreeSet<Integer> partitionsOf(Manifest manifest, TensorEntry tensor) {
        long begin = tensor.offsetBytes();
        long end = begin + tensor.lengthBytes();
        TreeSet<Integer> partitions = new TreeSet<>();
        for (ChunkEntry chunk : manifest.chunks()) {
            boolean overlaps = chunk.fileIndex() == tensor.fileIndex() && chunk.offsetBytes() < end
                && chunk.offsetBytes() + chunk.lengthBytes() > begin;
            if (overlaps) {
                partitions.add(chunk.partition());
            }
        }
        return partitions;
    }
}
