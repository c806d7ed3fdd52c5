package io.modelcache.manifest;

import io.modelcache.serialization.ControlMessage;

import java.util.Arrays;

/**
 * One tensor, read from its file's own index (the safetensors header).
 *
 * @param fileIndex index of the file in {@link Manifest#files()}
 * @param name the tensor's name
 * @param dtype the element type as the file names it, for example {@code F32}
 * @param shape the dimensions; empty for a scalar
 * @param offsetBytes where the tensor's bytes start in the file
 * @param lengthBytes the tensor's length in bytes
 */
public record TensorEntry(int fileIndex, String name, String dtype, long[] shape, long offsetBytes, long lengthBytes)
    implements ControlMessage {

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorEntry that
            && fileIndex == that.fileIndex
            && offsetBytes == that.offsetBytes
            && lengthBytes == that.lengthBytes
            && name.equals(that.name)
            && dtype.equals(that.dtype)
            && Arrays.equals(shape, that.shape);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(shape) + Long.hashCode(offsetBytes);
    }

    @Override
    public String toString() {
        return "TensorEntry[" + name + " " + dtype + Arrays.toString(shape) + " file=" + fileIndex
            + " offset=" + offsetBytes + " length=" + lengthBytes + "]";
    }
}
