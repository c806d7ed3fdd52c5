package io.modelcache.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes safetensors files for tests and simulations.
 *
 * <p>{@link #write} lays the tensors out in list order, back to back from data offset 0, pads the header with spaces
 * to a multiple of {@value #HEADER_ALIGNMENT_BYTES} bytes, and fills each tensor with a deterministic pseudo-random
 * pattern that depends only on the seed, the tensor name and the byte index within the tensor; {@link #patternByte}
 * and {@link #fillPattern} recompute it for verification. Data is streamed in 64 KiB chunks, so files and tensors
 * larger than 2 GiB need no more memory than small ones.
 *
 * <p>{@link #writeRaw} writes arbitrary, possibly invalid, bytes for negative tests. Stateless and thread-safe; two
 * threads writing the same path at once produce an undefined file.
 */
public final class SafetensorsWriter {

    /** {@link #write} pads the header so that the data section starts at a multiple of this many bytes. */
    public static final int HEADER_ALIGNMENT_BYTES = 8;

    private static final int CHUNK_BYTES = 64 * 1024;
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final long FNV_OFFSET_BASIS = 0xCBF29CE484222325L;
    private static final long FNV_PRIME = 0x100000001B3L;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private SafetensorsWriter() {
    }

    /**
     * Writes a valid safetensors file, replacing any existing file. On failure a partial file may remain.
     *
     * @param out file to create or truncate
     * @param metadata {@code __metadata__} entries, written in iteration order; omitted from the header when empty
     * @param tensors tensors in data order; names unique
     * @param seed seed of the data pattern
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if tensor names repeat, the data length overflows a {@code long} or the header
     *     exceeds {@link Safetensors#MAX_HEADER_BYTES}
     * @throws NullPointerException if an argument, metadata key or value, or tensor is null
     */
    public static void write(Path out, Map<String, String> metadata, List<TensorSpec> tensors, long seed)
            throws IOException {
        Objects.requireNonNull(out, "out");
        byte[] header = encodeHeader(metadata, tensors);
        try (FileChannel channel = openForWriting(out)) {
            writeFully(channel, lengthPrefix(header.length));
            writeFully(channel, ByteBuffer.wrap(header));
            byte[] chunk = new byte[CHUNK_BYTES];
            for (TensorSpec tensor : tensors) {
                writePattern(channel, seed, tensor, chunk);
            }
        }
    }

    /**
     * Encodes the header that {@link #write} would write: UTF-8 JSON padded with spaces to a multiple of
     * {@value #HEADER_ALIGNMENT_BYTES} bytes, without the 8-byte length prefix. Useful to build files whose data is
     * written otherwise (for example a sparse file with a tensor larger than 2 GiB).
     *
     * @param metadata {@code __metadata__} entries, written in iteration order; omitted when empty
     * @param tensors tensors in data order; names unique
     * @return the padded header bytes
     * @throws IllegalArgumentException if tensor names repeat, the data length overflows a {@code long} or the header
     *     exceeds {@link Safetensors#MAX_HEADER_BYTES}
     * @throws NullPointerException if an argument, metadata key or value, or tensor is null
     */
    public static byte[] encodeHeader(Map<String, String> metadata, List<TensorSpec> tensors) {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(tensors, "tensors");
        requireUniqueNames(tensors);
        ObjectNode root = MAPPER.createObjectNode();
        putMetadata(root, metadata);
        long offsetBytes = 0;
        for (TensorSpec tensor : tensors) {
            offsetBytes = putTensor(root, tensor, offsetBytes);
        }
        return padded(toJsonBytes(root));
    }

    /**
     * Writes arbitrary bytes in the safetensors layout, for negative tests: {@code declaredHeaderLength} as 8
     * little-endian bytes (any value, including ones with the top bit set), then {@code headerBytes}, then
     * {@code data}. Nothing is validated. Replaces any existing file.
     *
     * @param out file to create or truncate
     * @param headerBytes header bytes, written as they are
     * @param declaredHeaderLength value of the length prefix, in bytes; need not match {@code headerBytes.length}
     * @param data data section bytes, written as they are
     * @throws IOException if writing fails
     * @throws NullPointerException if an argument is null
     */
    public static void writeRaw(Path out, byte[] headerBytes, long declaredHeaderLength, byte[] data)
            throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(headerBytes, "headerBytes");
        Objects.requireNonNull(data, "data");
        try (FileChannel channel = openForWriting(out)) {
            writeFully(channel, lengthPrefix(declaredHeaderLength));
            writeFully(channel, ByteBuffer.wrap(headerBytes));
            writeFully(channel, ByteBuffer.wrap(data));
        }
    }

    /**
     * Returns one byte of the data pattern that {@link #write} puts into a tensor.
     *
     * @param seed seed passed to {@link #write}
     * @param tensorName name of the tensor
     * @param byteIndex index of the byte within the tensor's data, {@code >= 0}
     * @return the byte {@link #write} wrote there
     * @throws IllegalArgumentException if {@code byteIndex} is negative
     * @throws NullPointerException if {@code tensorName} is null
     */
    public static byte patternByte(long seed, String tensorName, long byteIndex) {
        Objects.requireNonNull(tensorName, "tensorName");
        if (byteIndex < 0) {
            throw new IllegalArgumentException("byteIndex " + byteIndex + " must be >= 0");
        }
        return (byte) (word(streamSeed(seed, tensorName), byteIndex >>> 3) >>> ((byteIndex & 7) << 3));
    }

    /**
     * Fills {@code target} with the data pattern of a tensor from {@code firstByteIndex} on; equivalent to calling
     * {@link #patternByte} for each index, but about eight times faster.
     *
     * @param seed seed passed to {@link #write}
     * @param tensorName name of the tensor
     * @param firstByteIndex index within the tensor's data of the byte that goes to {@code target[0]}, {@code >= 0}
     * @param target array to fill completely
     * @throws IllegalArgumentException if {@code firstByteIndex} is negative or the last index overflows a
     *     {@code long}
     * @throws NullPointerException if {@code tensorName} or {@code target} is null
     */
    public static void fillPattern(long seed, String tensorName, long firstByteIndex, byte[] target) {
        Objects.requireNonNull(tensorName, "tensorName");
        Objects.requireNonNull(target, "target");
        if (firstByteIndex < 0 || firstByteIndex > Long.MAX_VALUE - target.length) {
            throw new IllegalArgumentException("firstByteIndex " + firstByteIndex + " must be >= 0 and leave room for "
                    + target.length + " bytes");
        }
        fill(streamSeed(seed, tensorName), firstByteIndex, target, target.length);
    }

    private static void requireUniqueNames(List<TensorSpec> tensors) {
        Set<String> names = new HashSet<>();
        for (TensorSpec tensor : tensors) {
            if (!names.add(tensor.name())) {
                throw new IllegalArgumentException("tensor name '" + tensor.name() + "' appears more than once");
            }
        }
    }

    private static void putMetadata(ObjectNode root, Map<String, String> metadata) {
        if (metadata.isEmpty()) {
            return;
        }
        ObjectNode node = root.putObject(HeaderEntries.METADATA_KEY);
        metadata.forEach((key, value) -> node.put(Objects.requireNonNull(key, "metadata key"),
                Objects.requireNonNull(value, () -> "metadata value of " + key)));
    }

    private static long putTensor(ObjectNode root, TensorSpec tensor, long beginBytes) {
        long endBytes;
        try {
            endBytes = Math.addExact(beginBytes, tensor.byteLength());
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException("tensor '" + tensor.name() + "' ends past " + Long.MAX_VALUE
                    + " bytes of data", overflow);
        }
        ObjectNode entry = root.putObject(tensor.name());
        entry.put("dtype", tensor.dtype().name());
        ArrayNode shape = entry.putArray("shape");
        Arrays.stream(tensor.shape()).forEach(shape::add);
        entry.putArray("data_offsets").add(beginBytes).add(endBytes);
        return endBytes;
    }

    private static byte[] toJsonBytes(ObjectNode root) {
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of strings and numbers always serializes", e);
        }
    }

    private static byte[] padded(byte[] json) {
        long paddedBytes = (json.length + HEADER_ALIGNMENT_BYTES - 1L) / HEADER_ALIGNMENT_BYTES
                * HEADER_ALIGNMENT_BYTES;
        if (paddedBytes > Safetensors.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("header of " + paddedBytes + " bytes exceeds the limit of "
                    + Safetensors.MAX_HEADER_BYTES + " bytes");
        }
        byte[] header = Arrays.copyOf(json, (int) paddedBytes);
        Arrays.fill(header, json.length, header.length, (byte) ' ');
        return header;
    }

    private static FileChannel openForWriting(Path out) throws IOException {
        return FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    private static ByteBuffer lengthPrefix(long headerLengthBytes) {
        return ByteBuffer.allocate(Safetensors.LENGTH_PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(0, headerLengthBytes);
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void writePattern(FileChannel channel, long seed, TensorSpec tensor, byte[] chunk)
            throws IOException {
        long stream = streamSeed(seed, tensor.name());
        long totalBytes = tensor.byteLength();
        for (long writtenBytes = 0; writtenBytes < totalBytes; ) {
            int lengthBytes = (int) Math.min(chunk.length, totalBytes - writtenBytes);
            fill(stream, writtenBytes, chunk, lengthBytes);
            writeFully(channel, ByteBuffer.wrap(chunk, 0, lengthBytes));
            writtenBytes += lengthBytes;
        }
    }

    private static void fill(long stream, long firstByteIndex, byte[] target, int lengthBytes) {
        long word = 0;
        for (int i = 0; i < lengthBytes; i++) {
            long index = firstByteIndex + i;
            if (i == 0 || (index & 7) == 0) {
                word = word(stream, index >>> 3);
            }
            target[i] = (byte) (word >>> ((index & 7) << 3));
        }
    }

    /** Mixes the seed with a 64-bit FNV-1a hash of the name's UTF-8 bytes, so each tensor gets its own stream. */
    private static long streamSeed(long seed, String tensorName) {
        long hash = FNV_OFFSET_BASIS;
        for (byte b : tensorName.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xFF)) * FNV_PRIME;
        }
        return mix(seed ^ hash);
    }

    /** The 8 pattern bytes of word {@code wordIndex} (bytes 8*wordIndex to 8*wordIndex+7), little-endian. */
    private static long word(long stream, long wordIndex) {
        return mix(stream + wordIndex * GOLDEN_GAMMA);
    }

    /** The SplitMix64 finalizer: a bijective 64-bit mix. */
    private static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
