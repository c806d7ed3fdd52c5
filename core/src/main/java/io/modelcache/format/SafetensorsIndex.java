package io.modelcache.format;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated layout of one safetensors file: header size, data section position and every tensor's byte range.
 * Immutable; the metadata keeps the header's order, the tensors are sorted by {@code beginOffset}.
 *
 * @param fileName name of the file, as used in error messages
 * @param headerLengthBytes length of the JSON header (including padding), in bytes
 * @param dataStartOffset absolute file offset of the data section: 8 + {@code headerLengthBytes}
 * @param fileSizeBytes size of the whole file, in bytes
 * @param metadata the {@code __metadata__} entries; empty if the header has none
 * @param tensors all tensors, sorted by {@link TensorInfo#beginOffset()}, offsets absolute
 */
public record SafetensorsIndex(String fileName, long headerLengthBytes, long dataStartOffset, long fileSizeBytes,
        Map<String, String> metadata, List<TensorInfo> tensors) {

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException if a component, metadata key or value, or tensor is null
     * @throws IllegalArgumentException if {@code dataStartOffset != 8 + headerLengthBytes}, the header length is
     *     negative, the file is smaller than {@code dataStartOffset}, a tensor lies outside the data section or the
     *     tensors are not sorted by {@code beginOffset}
     */
    public SafetensorsIndex {
        Objects.requireNonNull(fileName, "fileName");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metadata, "metadata")));
        metadata.forEach((key, value) -> {
            Objects.requireNonNull(key, "metadata key");
            Objects.requireNonNull(value, () -> "metadata value of " + key);
        });
        tensors = List.copyOf(tensors);
        requireConsistentSizes(headerLengthBytes, dataStartOffset, fileSizeBytes);
        requireSortedWithin(tensors, dataStartOffset, fileSizeBytes);
    }

    /**
     * Returns the size of the data section.
     *
     * @return {@code fileSizeBytes - dataStartOffset}, in bytes
     */
    public long dataLengthBytes() {
        return fileSizeBytes - dataStartOffset;
    }

    /**
     * Finds a tensor by name with a linear scan (O(number of tensors)); callers doing many lookups should build
     * their own map.
     *
     * @param name tensor name as written in the header
     * @return the tensor, or empty if the file has none of that name
     * @throws NullPointerException if {@code name} is null
     */
    public Optional<TensorInfo> tensor(String name) {
        Objects.requireNonNull(name, "name");
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    private static void requireConsistentSizes(long headerLengthBytes, long dataStartOffset, long fileSizeBytes) {
        if (headerLengthBytes < 0 || dataStartOffset != Safetensors.LENGTH_PREFIX_BYTES + headerLengthBytes) {
            throw new IllegalArgumentException("dataStartOffset " + dataStartOffset + " must be "
                    + Safetensors.LENGTH_PREFIX_BYTES + " + headerLengthBytes " + headerLengthBytes);
        }
        if (fileSizeBytes < dataStartOffset) {
            throw new IllegalArgumentException("fileSizeBytes " + fileSizeBytes
                    + " is smaller than dataStartOffset " + dataStartOffset);
        }
    }

    private static void requireSortedWithin(List<TensorInfo> tensors, long dataStartOffset, long fileSizeBytes) {
        long previousBegin = dataStartOffset;
        for (TensorInfo tensor : tensors) {
            if (tensor.beginOffset() < previousBegin || tensor.endOffset() > fileSizeBytes) {
                throw new IllegalArgumentException("tensor '" + tensor.name() + "' at "
                        + Text.offsets(tensor.beginOffset(), tensor.endOffset())
                        + " is out of order or outside the data section "
                        + Text.offsets(dataStartOffset, fileSizeBytes));
            }
            previousBegin = tensor.beginOffset();
        }
    }
}
