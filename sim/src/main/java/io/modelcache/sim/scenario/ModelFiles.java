package io.modelcache.sim.scenario;

import io.modelcache.format.SafetensorsWriter;
import io.modelcache.format.TensorSpec;
import io.modelcache.sim.scenario.ModelSource.TensorGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a run stores: a real model where the build unpacked it, a synthetic one written once per run into the
 * run's temporary directory (deleted with it) and reused by every case that asks for the same one.
 */
final class ModelFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ModelFiles.class);

    private final Path directory;
    private final Map<ModelSource.SyntheticModel, Path> written = new HashMap<>();

    /** @param directory where synthetic models are written */
    ModelFiles(Path directory) {
        this.directory = directory;
    }

    /**
     * @return the model's file, written first if it is synthetic and not written yet
     * @throws IllegalStateException naming the path when a real model is missing (the build unpacks them)
     * @throws IOException when a synthetic model cannot be written
     */
    Path file(ModelSource model) throws IOException {
        return switch (model) {
            case ModelSource.RealModel real -> {
                if (!Files.isRegularFile(real.path())) {
                    throw new IllegalStateException("model " + real.name() + " is missing at " + real.path()
                        + ": run the build (./mvnw -DskipTests package), which unpacks it");
                }
                yield real.path();
            }
            case ModelSource.SyntheticModel synthetic -> {
                Path file = written.get(synthetic);
                if (file == null) {
                    file = write(synthetic, written.size() + 1);
                    written.put(synthetic, file);
                }
                yield file;
            }
        };
    }

    private Path write(ModelSource.SyntheticModel model, int number) throws IOException {
        Path file = directory.resolve(model.label() + "-" + number + ".safetensors");
        long startNs = System.nanoTime();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("generator", "modelcache sim");
        metadata.put("seed", Long.toString(model.seed()));
        SafetensorsWriter.write(file, metadata, tensors(model), model.seed());
        LOG.info("Synthetic model written [file={}, bytes={}, seconds={}]", file, Files.size(file),
            String.format("%.1f", (System.nanoTime() - startNs) / 1e9));
        return file;
    }

    /**
     * @return the tensors of a synthetic model: per group, {@code count} tensors of {@code [rows, 1024]} elements,
     *     rows rounded down so the group stays within its share
     */
    static List<TensorSpec> tensors(ModelSource.SyntheticModel model) {
        List<TensorSpec> tensors = new ArrayList<>();
        for (int g = 0; g < model.tensors().size(); g++) {
            TensorGroup group = model.tensors().get(g);
            long rowBytes = (long) ScenarioParser.ROW_ELEMENTS * group.dtype().bytesPerElement();
            long rows = (long) (model.sizeBytes() * group.share() / group.count() / rowBytes);
            for (int t = 0; t < group.count(); t++) {
                tensors.add(new TensorSpec("group" + g + ".tensor" + t + "." + group.dtype().name().toLowerCase(
                    java.util.Locale.ROOT), group.dtype(), new long[] {rows, ScenarioParser.ROW_ELEMENTS}));
            }
        }
        return tensors;
    }
}
