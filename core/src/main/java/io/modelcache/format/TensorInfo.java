package io.modelcache.format;

import java.util.Arrays;
import java.util.Objects;

/**
 * One validated tensor of a safetensors file: where its bytes are and how to interpret them.
 *
 * <p>The offsets are absolute positions in the file (the data section start is already added), so the tensor's bytes
 * are {@code [beginOffset, endOffset)} of the file. The shape array is copied on the way in and out; equality,
 * hash code and {@code toString} use its contents.
 *
 * @param name tensor name as written in the header
 * @param dtype element type
 * @param shape dimensions, each {@code >= 0}; empty for a scalar
 * @param beginOffset absolute file offset of the first byte, in bytes
 * @param endOffset absolute file offset just past the last byte, in bytes
 */
public record TensorInfo(String name, DType dtype, long[] shape, long beginOffset, long endOffset) {

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException if {@code name}, {@code dtype} or {@code shape} is null
     * @throws IllegalArgumentException if a dimension is negative, the byte length overflows a {@code long}, the
     *     offsets are negative or reversed, or {@code endOffset - beginOffset} is not element count times bytes per
     *     element
     */
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = Objects.requireNonNull(shape, "shape").clone();
        Shapes.requireValid(shape, dtype);
        if (beginOffset < 0 || endOffset < beginOffset) {
            throw new IllegalArgumentException("tensor '" + name + "': offsets "
                    + Text.offsets(beginOffset, endOffset) + " must satisfy 0 <= begin <= end");
        }
        long expectedBytes = Shapes.byteLength(shape, dtype);
        if (endOffset - beginOffset != expectedBytes) {
            throw new IllegalArgumentException("tensor '" + name + "': offsets " + Text.offsets(beginOffset, endOffset)
                    + " span " + (endOffset - beginOffset) + " bytes, but shape " + Shapes.format(shape)
                    + " of dtype " + dtype + " needs " + expectedBytes + " bytes");
        }
    }

    /**
     * Returns a copy of the dimensions.
     *
     * @return the shape; empty for a scalar
     */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /**
     * Returns the size of the tensor's data.
     *
     * @return {@code endOffset - beginOffset}, in bytes
     */
    public long byteLength() {
        return endOffset - beginOffset;
    }

    /**
     * Returns the number of elements: the product of the dimensions, 1 for a scalar, 0 if any dimension is 0.
     *
     * @return element count
     */
    public long elementCount() {
        return Shapes.elementCount(shape);
    }

    /**
     * Compares all components, the shape by content.
     *
     * @param other object to compare with
     * @return whether {@code other} is a {@code TensorInfo} with equal components
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof TensorInfo that
                && name.equals(that.name)
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape)
                && beginOffset == that.beginOffset
                && endOffset == that.endOffset;
    }

    /**
     * Hashes all components, the shape by content.
     *
     * @return hash code consistent with {@link #equals}
     */
    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), beginOffset, endOffset);
    }

    /**
     * Renders all components, the shape as {@code [2, 3]}.
     *
     * @return a description for logs and messages
     */
    @Override
    public String toString() {
        return "TensorInfo[name=" + name + ", dtype=" + dtype + ", shape=" + Shapes.format(shape)
                + ", beginOffset=" + beginOffset + ", endOffset=" + endOffset + "]";
    }
}
