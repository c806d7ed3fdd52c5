package io.modelcache.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validates the entries of a parsed header one by one: {@code __metadata__} and tensor entries with their dtype,
 * shape and data offsets, as {@link HeaderJson} streams them. Coverage of the data section is checked afterwards by
 * {@link DataLayout}. One instance per header; not shared.
 */
final class HeaderEntries {

    /** The header key that holds string metadata instead of a tensor. */
    static final String METADATA_KEY = "__metadata__";

    private static final List<String> TENSOR_KEYS = List.of("dtype", "shape", "data_offsets");

    /** Metadata in header order and tensors in header order, offsets absolute. */
    record Header(Map<String, String> metadata, List<TensorInfo> tensors) {
    }

    private final String fileName;
    private final long dataStartOffset;
    private final long dataLengthBytes;
    private final List<TensorInfo> tensors = new ArrayList<>();
    private Map<String, String> metadata = Map.of();

    private HeaderEntries(String fileName, long dataStartOffset, long dataLengthBytes) {
        this.fileName = fileName;
        this.dataStartOffset = dataStartOffset;
        this.dataLengthBytes = dataLengthBytes;
    }

    /** Parses and validates every entry of the header text; offsets must lie in the data section. */
    static Header parse(String headerText, String fileName, long dataStartOffset, long fileSizeBytes)
            throws InvalidModelException {
        HeaderEntries entries = new HeaderEntries(fileName, dataStartOffset, fileSizeBytes - dataStartOffset);
        HeaderJson.forEachMember(headerText, fileName, entries::accept);
        return new Header(entries.metadata, entries.tensors);
    }

    private void accept(String key, JsonNode value) throws InvalidModelException {
        if (key.equals(METADATA_KEY)) {
            metadata = metadata(value);
        } else {
            tensors.add(tensor(key, value));
        }
    }

    private Map<String, String> metadata(JsonNode node) throws InvalidModelException {
        if (!node.isObject()) {
            throw InvalidModelException.of("%s in %s must be a JSON object of string values, but is %s",
                    METADATA_KEY, fileName, Text.describe(node));
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw InvalidModelException.of("%s in %s: value of key %s must be a JSON string, but is %s",
                        METADATA_KEY, fileName, Text.quoted(entry.getKey()), Text.describe(entry.getValue()));
            }
            values.put(entry.getKey(), entry.getValue().textValue());
        }
        return values;
    }

    private TensorInfo tensor(String name, JsonNode entry) throws InvalidModelException {
        String where = "tensor " + Text.quoted(name) + " in " + fileName;
        if (!entry.isObject()) {
            throw InvalidModelException.of("%s: entry must be a JSON object with keys %s, but is %s",
                    where, String.join(", ", TENSOR_KEYS), Text.describe(entry));
        }
        requireOnlyTensorKeys(entry, where);
        DType dtype = dtype(required(entry, "dtype", where), where);
        long[] shape = shape(required(entry, "shape", where), where);
        long[] offsets = dataOffsets(required(entry, "data_offsets", where), where);
        requireMatchingByteLength(dtype, shape, offsets, where);
        return new TensorInfo(name, dtype, shape, dataStartOffset + offsets[0], dataStartOffset + offsets[1]);
    }

    private static void requireOnlyTensorKeys(JsonNode entry, String where) throws InvalidModelException {
        for (Map.Entry<String, JsonNode> property : entry.properties()) {
            if (!TENSOR_KEYS.contains(property.getKey())) {
                throw InvalidModelException.of("%s: unknown key %s in the tensor entry (allowed keys: %s)",
                        where, Text.quoted(property.getKey()), String.join(", ", TENSOR_KEYS));
            }
        }
    }

    private static JsonNode required(JsonNode entry, String key, String where) throws InvalidModelException {
        JsonNode value = entry.get(key);
        if (value == null) {
            throw InvalidModelException.of("%s: missing required key '%s' (required keys: %s)",
                    where, key, String.join(", ", TENSOR_KEYS));
        }
        return value;
    }

    private static DType dtype(JsonNode node, String where) throws InvalidModelException {
        if (!node.isTextual()) {
            throw InvalidModelException.of("%s: dtype must be a JSON string, but is %s", where, Text.describe(node));
        }
        return DType.of(node.textValue()).orElseThrow(() -> InvalidModelException.of(
                "%s: unknown dtype %s (supported dtypes: %s)", where, Text.quoted(node.textValue()),
                DType.supportedNames()));
    }

    private static long[] shape(JsonNode node, String where) throws InvalidModelException {
        if (!node.isArray()) {
            throw InvalidModelException.of("%s: shape must be a JSON array of non-negative integers, but is %s",
                    where, Text.describe(node));
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeLong(node, i, "shape", "dimension", where);
        }
        if (Shapes.elementCountOverflows(shape)) {
            throw InvalidModelException.of("%s: shape %s has more than %d elements (the product of its dimensions"
                    + " overflows a signed 64-bit count)", where, Text.json(node), Long.MAX_VALUE);
        }
        return shape;
    }

    private long[] dataOffsets(JsonNode node, String where) throws InvalidModelException {
        if (!node.isArray() || node.size() != 2) {
            throw InvalidModelException.of("%s: data_offsets must be a JSON array of 2 integers [begin, end],"
                    + " but is %s", where, Text.describe(node));
        }
        long begin = nonNegativeLong(node, 0, "data_offsets", "begin offset", where);
        long end = nonNegativeLong(node, 1, "data_offsets", "end offset", where);
        if (begin > end) {
            throw InvalidModelException.of("%s: data_offsets %s are reversed (begin %d > end %d)",
                    where, Text.offsets(begin, end), begin, end);
        }
        if (end > dataLengthBytes) {
            throw InvalidModelException.of("%s: data_offsets %s end at byte %d, past the end of the data section"
                    + " of %d bytes", where, Text.offsets(begin, end), end, dataLengthBytes);
        }
        return new long[] {begin, end};
    }

    private static long nonNegativeLong(JsonNode array, int index, String field, String role, String where)
            throws InvalidModelException {
        JsonNode value = array.get(index);
        String context = where + ": " + field + " " + Text.json(array) + ": " + role + " at index " + index;
        if (!value.isIntegralNumber()) {
            throw InvalidModelException.of("%s must be an integer, but is %s", context, Text.describe(value));
        }
        if (!value.canConvertToLong()) {
            throw InvalidModelException.of("%s is %s, above the maximum of %d", context, Text.json(value),
                    Long.MAX_VALUE);
        }
        long result = value.longValue();
        if (result < 0) {
            throw InvalidModelException.of("%s is negative: %d (must be >= 0)", context, result);
        }
        return result;
    }

    private static void requireMatchingByteLength(DType dtype, long[] shape, long[] offsets, String where)
            throws InvalidModelException {
        long spanBytes = offsets[1] - offsets[0];
        long elements = Shapes.elementCount(shape);
        String context = String.format(Locale.ROOT, "%s: data_offsets %s span %d bytes, but shape %s of dtype %s needs",
                where, Text.offsets(offsets[0], offsets[1]), spanBytes, Shapes.format(shape), dtype);
        long neededBytes;
        try {
            neededBytes = Shapes.byteLength(shape, dtype);
        } catch (ArithmeticException overflow) {
            throw InvalidModelException.of("%s more than %d bytes (%d elements * %d bytes per element)",
                    context, Long.MAX_VALUE, elements, dtype.bytesPerElement());
        }
        if (spanBytes != neededBytes) {
            throw InvalidModelException.of("%s %d bytes (%d elements * %d bytes per element)",
                    context, neededBytes, elements, dtype.bytesPerElement());
        }
    }
}
