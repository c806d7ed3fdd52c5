package io.modelcache.sim.scenario;

import io.modelcache.format.DType;
import io.modelcache.sim.bench.Sizes;

import java.nio.file.Path;
import java.util.List;

/** The model a scenario case stores and loads: one of the real ONNX models, or a synthetic safetensors file. */
public sealed interface ModelSource {

    /** @return a short name for tables, file names and model names, for example {@code bge-small-en-v15} */
    String label();

    /**
     * One of the real ONNX models the build unpacks into {@code target/models} (see {@link RealModels}).
     *
     * @param name the model's name in {@link RealModels#NAMES}
     * @param path where the build unpacks it; checked for existence when a run starts, not when parsed
     */
    record RealModel(String name, Path path) implements ModelSource {
        @Override
        public String label() {
            return name;
        }
    }

    /**
     * A safetensors file the simulator writes with {@link io.modelcache.format.SafetensorsWriter}: groups of
     * tensors of one dtype, each group a share of the size, every tensor of a group the same 2-D shape (rows of
     * 1024 elements), filled with the writer's seeded pattern.
     *
     * @param sizeBytes the data bytes asked for; each tensor is rounded down to whole rows, so the file's data is
     *     slightly smaller, and its header adds a few KiB
     * @param tensors the groups, whose shares add up to 1
     * @param seed the seed of the data pattern
     */
    record SyntheticModel(long sizeBytes, List<TensorGroup> tensors, long seed) implements ModelSource {
        @Override
        public String label() {
            return "synthetic-" + describe(sizeBytes);
        }

        /** @return the size in its largest whole binary unit, without a space: {@code 1GiB}, {@code 1000B} */
        private static String describe(long bytes) {
            return Sizes.describe(bytes).replace(" bytes", "B").replace(" ", "");
        }
    }

    /**
     * Tensors of one dtype in a synthetic model.
     *
     * @param dtype their element type
     * @param count how many tensors
     * @param share the fraction of the model's size they take, in (0, 1]
     */
    record TensorGroup(DType dtype, int count, double share) {
    }
}
