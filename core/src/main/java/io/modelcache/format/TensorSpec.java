package io.modelcache.format;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor to be written by {@link SafetensorsWriter}: its name, element type and shape. The writer chooses the
 * offsets. The shape array is copied on the way in and out; equality, hash code and {@code toString} use its
 * contents.
 *
 * @param name tensor name; must not be {@code __metadata__}
 * @param dtype element type
 * @param shape dimensions, each {@code >= 0}; empty for a scalar
 */
public record TensorSpec(String name, DType dtype, long[] shape) {

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the name is {@code __metadata__}, a dimension is negative or the byte length
     *     overflows a {@code long}
     */
    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = Objects.requireNonNull(shape, "shape").clone();
        if (name.equals(HeaderEntries.METADATA_KEY)) {
            throw new IllegalArgumentException("tensor name " + name + " is reserved for the header metadata");
        }
        Shapes.requireValid(shape, dtype);
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
     * Returns the number of elements: the product of the dimensions, 1 for a scalar, 0 if any dimension is 0.
     *
     * @return element count
     */
    public long elementCount() {
        return Shapes.elementCount(shape);
    }

    /**
     * Returns the size of the tensor's data.
     *
     * @return element count times bytes per element, in bytes
     */
    public long byteLength() {
        return Shapes.byteLength(shape, dtype);
    }

    /**
     * Compares all components, the shape by content.
     *
     * @param other object to compare with
     * @return whether {@code other} is a {@code TensorSpec} with equal components
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof TensorSpec that
                && name.equals(that.name)
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape);
    }

    /**
     * Hashes all components, the shape by content.
     *
     * @return hash code consistent with {@link #equals}
     */
    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape));
    }

    /**
     * Renders all components, the shape as {@code [2, 3]}.
     *
     * @return a description for logs and messages
     */
    @Override
    public String toString() {
        return "TensorSpec[name=" + name + ", dtype=" + dtype + ", shape=" + Shapes.format(shape) + "]";
    }
}
