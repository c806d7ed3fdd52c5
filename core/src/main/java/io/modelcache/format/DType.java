package io.modelcache.format;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Element types of safetensors tensors; each constant's name is exactly the {@code dtype} string of the header.
 */
public enum DType {
    /** Boolean, one byte per element. */
    BOOL(1),
    /** Unsigned 8-bit integer. */
    U8(1),
    /** Signed 8-bit integer. */
    I8(1),
    /** 8-bit float with 4 exponent and 3 mantissa bits. */
    F8_E4M3(1),
    /** 8-bit float with 5 exponent and 2 mantissa bits. */
    F8_E5M2(1),
    /** Signed 16-bit integer. */
    I16(2),
    /** Unsigned 16-bit integer. */
    U16(2),
    /** IEEE 754 half-precision float. */
    F16(2),
    /** Brain float: 16 bits, the exponent range of F32. */
    BF16(2),
    /** Signed 32-bit integer. */
    I32(4),
    /** Unsigned 32-bit integer. */
    U32(4),
    /** IEEE 754 single-precision float. */
    F32(4),
    /** Signed 64-bit integer. */
    I64(8),
    /** Unsigned 64-bit integer. */
    U64(8),
    /** IEEE 754 double-precision float. */
    F64(8);

    private static final Map<String, DType> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(DType::name, Function.identity()));

    private final int bytesPerElement;

    DType(int bytesPerElement) {
        this.bytesPerElement = bytesPerElement;
    }

    /**
     * Returns the storage size of one element.
     *
     * @return bytes per element, from 1 to 8
     */
    public int bytesPerElement() {
        return bytesPerElement;
    }

    /**
     * Looks up a dtype by its header name. The match is exact and case-sensitive ({@code "F32"}, not {@code "f32"}).
     *
     * @param name the {@code dtype} string from a safetensors header
     * @return the dtype, or empty if the name is not one of the supported dtypes
     * @throws NullPointerException if {@code name} is null
     */
    public static Optional<DType> of(String name) {
        Objects.requireNonNull(name, "name");
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Returns all header names, comma-separated, in declaration order; for error messages. */
    static String supportedNames() {
        return Arrays.stream(values()).map(DType::name).collect(Collectors.joining(", "));
    }
}
