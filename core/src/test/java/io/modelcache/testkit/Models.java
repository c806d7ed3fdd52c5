package io.modelcache.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real ONNX models the build unpacks from Maven Central (see the core pom). */
public final class Models {
    private Models() {
    }

    /** @return the folder holding the unpacked models */
    public static Path directory() {
        String configured = System.getProperty("modelcache.models.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("..", "target", "models");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("models folder " + dir.toAbsolutePath() + " is missing: run the build "
                + "(mvn generate-resources) to unpack them");
        }
        return dir;
    }

    /** all-minilm-l6-v2-q.onnx, about 23 MB. */
    public static Path miniLmQuantized() {
        return directory().resolve("all-minilm-l6-v2-q/all-minilm-l6-v2-q.onnx");
    }

    /** all-minilm-l6-v2.onnx, about 90 MB. */
    public static Path miniLm() {
        return directory().resolve("all-minilm-l6-v2/all-minilm-l6-v2.onnx");
    }

    /** bge-small-en-v1.5.onnx, about 133 MB. */
    public static Path bgeSmall() {
        return directory().resolve("bge-small-en-v15/bge-small-en-v1.5.onnx");
    }
}
