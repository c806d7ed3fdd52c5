package io.modelcache.sim.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The real ONNX models the build unpacks from Maven Central jars into {@code target/models} (see the core pom):
 * {@code all-minilm-l6-v2-q} (about 23 MB), {@code all-minilm-l6-v2} (90 MB) and {@code bge-small-en-v15}
 * (133 MB). The folder is the system property {@code modelcache.models.dir} ({@code bin/modelcache} and the tests
 * set it), else {@code target/models} under the working directory, else {@code ../target/models}.
 */
public final class RealModels {
    /** The names a scenario's {@code model} may take, in the order messages list them. */
    public static final List<String> NAMES = List.of("all-minilm-l6-v2-q", "all-minilm-l6-v2", "bge-small-en-v15");

    private static final Map<String, String> FILES = Map.of(
        "all-minilm-l6-v2-q", "all-minilm-l6-v2-q/all-minilm-l6-v2-q.onnx",
        "all-minilm-l6-v2", "all-minilm-l6-v2/all-minilm-l6-v2.onnx",
        "bge-small-en-v15", "bge-small-en-v15/bge-small-en-v1.5.onnx");

    private RealModels() {
    }

    /**
     * @param name one of {@link #NAMES}
     * @return where the build unpacks it, whether or not it is there
     * @throws IllegalArgumentException if the name is not one of {@link #NAMES}
     */
    public static Path path(String name) {
        String file = FILES.get(name);
        if (file == null) {
            throw new IllegalArgumentException("model '" + name + "' is not one of " + String.join(", ", NAMES));
        }
        return directory().resolve(file).toAbsolutePath().normalize();
    }

    private static Path directory() {
        String configured = System.getProperty("modelcache.models.dir");
        if (configured != null) {
            return Path.of(configured);
        }
        Path here = Path.of("target", "models");
        return Files.isDirectory(here) ? here : Path.of("..", "target", "models");
    }
}
