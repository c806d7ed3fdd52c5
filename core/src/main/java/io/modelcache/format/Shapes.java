package io.modelcache.format;

import java.util.Arrays;

/** Arithmetic on tensor shapes, shared by {@link TensorInfo}, {@link TensorSpec} and the header parser. */
final class Shapes {

    private Shapes() {
    }

    /**
     * Returns the product of the dimensions: 1 for a scalar (empty shape), 0 if any dimension is 0.
     *
     * @throws ArithmeticException if the product of non-zero dimensions overflows a {@code long}
     */
    static long elementCount(long[] shape) {
        for (long dimension : shape) {
            if (dimension == 0) {
                return 0;
            }
        }
        long count = 1;
        for (long dimension : shape) {
            count = Math.multiplyExact(count, dimension);
        }
        return count;
    }

    /** Returns whether {@link #elementCount} would overflow. */
    static boolean elementCountOverflows(long[] shape) {
        try {
            elementCount(shape);
            return false;
        } catch (ArithmeticException overflow) {
            return true;
        }
    }

    /**
     * Returns element count times bytes per element.
     *
     * @throws ArithmeticException if the byte length overflows a {@code long}
     */
    static long byteLength(long[] shape, DType dtype) {
        return Math.multiplyExact(elementCount(shape), dtype.bytesPerElement());
    }

    /**
     * Checks that every dimension is non-negative and that the byte length fits a {@code long}.
     *
     * @throws IllegalArgumentException if not
     */
    static void requireValid(long[] shape, DType dtype) {
        for (long dimension : shape) {
            if (dimension < 0) {
                throw new IllegalArgumentException("shape " + format(shape) + " has negative dimension " + dimension);
            }
        }
        try {
            byteLength(shape, dtype);
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException("shape " + format(shape) + " of dtype " + dtype
                    + " needs more than " + Long.MAX_VALUE + " bytes", overflow);
        }
    }

    /** Formats a shape as {@code [2, 3]}. */
    static String format(long[] shape) {
        return Arrays.toString(shape);
    }
}
