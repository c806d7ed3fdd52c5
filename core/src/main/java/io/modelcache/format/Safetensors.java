package io.modelcache.format;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads and strictly validates safetensors files.
 *
 * <p>A file is an 8-byte little-endian unsigned header length N, then N bytes of UTF-8 JSON, then the data section.
 * The JSON must be one object, starting at its first byte and followed only by spaces (0x20). Each key is a tensor
 * name mapping to exactly {@code dtype}, {@code shape} and {@code data_offsets} (relative to the data section), except
 * the optional {@code __metadata__}, an object of string values. The tensors, sorted by offset, must cover the data
 * section exactly: no gap, no overlap, no trailing bytes. Zero-length tensors may sit at any offset from 0 to the data
 * length. Any violation is refused with an {@link InvalidModelException}.
 *
 * <p>Only the header is read; tensor data stays on disk. Stateless and thread-safe.
 */
public final class Safetensors {

    /** Largest accepted JSON header, in bytes: 100 MiB = 104857600 bytes. */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    /** Size of the little-endian header length that starts every file, in bytes. */
    public static final int LENGTH_PREFIX_BYTES = 8;

    /** File name extension of safetensors files, with the dot. */
    public static final String FILE_EXTENSION = ".safetensors";

    /** Smallest valid header, the empty JSON object {@code {}}, in bytes. */
    private static final long MIN_HEADER_BYTES = 2;

    private Safetensors() {
    }

    /**
     * Opens a file read-only and validates it; see {@link #read(FileChannel, String)}. Messages name the file by its
     * last path element.
     *
     * @param file path of the safetensors file
     * @return the validated layout
     * @throws IOException if the file cannot be opened or read
     * @throws InvalidModelException if the file breaks the format
     * @throws NullPointerException if {@code file} is null
     */
    public static SafetensorsIndex read(Path file) throws IOException, InvalidModelException {
        Objects.requireNonNull(file, "file");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(channel, displayName(file));
        }
    }

    /**
     * Validates the safetensors file behind an open channel. Reads only the 8-byte prefix and the header bytes (at
     * most {@link #MAX_HEADER_BYTES}), with positional reads: the channel's position is not changed, so a channel
     * shared between threads may be used. The channel is not closed.
     *
     * @param channel readable channel positioned anywhere; its {@code size()} is taken as the file size
     * @param fileName name used in error messages and in the returned index
     * @return the validated layout, tensors sorted by offset with absolute offsets
     * @throws IOException if reading fails, including the file shrinking while being read
     * @throws InvalidModelException if the file breaks the format
     * @throws NullPointerException if an argument is null
     */
    public static SafetensorsIndex read(FileChannel channel, String fileName)
            throws IOException, InvalidModelException {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(fileName, "fileName");
        long fileSizeBytes = channel.size();
        long headerLengthBytes = readHeaderLength(channel, fileName, fileSizeBytes);
        String headerText = readHeaderText(channel, fileName, (int) headerLengthBytes);
        long dataStartOffset = LENGTH_PREFIX_BYTES + headerLengthBytes;
        HeaderEntries.Header header = HeaderEntries.parse(headerText, fileName, dataStartOffset, fileSizeBytes);
        List<TensorInfo> tensors = DataLayout.sortedCovering(header.tensors(), fileName, dataStartOffset,
                fileSizeBytes);
        return new SafetensorsIndex(fileName, headerLengthBytes, dataStartOffset, fileSizeBytes, header.metadata(),
                tensors);
    }

    /**
     * Tells whether a path names a safetensors file by its extension {@value #FILE_EXTENSION} (case-insensitive).
     * Does not touch the file system.
     *
     * @param file any path
     * @return whether the last path element ends with {@value #FILE_EXTENSION} and has a name before it
     * @throws NullPointerException if {@code file} is null
     */
    public static boolean isSafetensors(Path file) {
        Objects.requireNonNull(file, "file");
        Path name = file.getFileName();
        if (name == null) {
            return false;
        }
        String lower = name.toString().toLowerCase(Locale.ROOT);
        return lower.length() > FILE_EXTENSION.length() && lower.endsWith(FILE_EXTENSION);
    }

    private static long readHeaderLength(FileChannel channel, String fileName, long fileSizeBytes)
            throws IOException, InvalidModelException {
        if (fileSizeBytes < LENGTH_PREFIX_BYTES) {
            throw InvalidModelException.of("file %s is %d bytes: shorter than the %d-byte header length prefix",
                    fileName, fileSizeBytes, LENGTH_PREFIX_BYTES);
        }
        long headerLengthBytes = readFully(channel, 0, LENGTH_PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        requireValidHeaderLength(headerLengthBytes, fileName, fileSizeBytes);
        return headerLengthBytes;
    }

    private static void requireValidHeaderLength(long headerLengthBytes, String fileName, long fileSizeBytes)
            throws InvalidModelException {
        String shown = Long.toUnsignedString(headerLengthBytes);
        if (Long.compareUnsigned(headerLengthBytes, MIN_HEADER_BYTES) < 0) {
            throw InvalidModelException.of("header length %s bytes in %s: must be at least %d (an empty JSON object)",
                    shown, fileName, MIN_HEADER_BYTES);
        }
        long availableBytes = fileSizeBytes - LENGTH_PREFIX_BYTES;
        if (Long.compareUnsigned(headerLengthBytes, availableBytes) > 0) {
            throw InvalidModelException.of("header length %s bytes exceeds file size %d bytes in %s"
                    + " (at most %d bytes follow the %d-byte length prefix)",
                    shown, fileSizeBytes, fileName, availableBytes, LENGTH_PREFIX_BYTES);
        }
        if (headerLengthBytes > MAX_HEADER_BYTES) {
            throw InvalidModelException.of("header length %s bytes exceeds the limit of %d bytes in %s",
                    shown, MAX_HEADER_BYTES, fileName);
        }
    }

    private static String readHeaderText(FileChannel channel, String fileName, int headerLengthBytes)
            throws IOException, InvalidModelException {
        ByteBuffer bytes = readFully(channel, LENGTH_PREFIX_BYTES, headerLengthBytes);
        bytes.limit(withoutTrailingSpaces(bytes));
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(bytes).toString();
        } catch (CharacterCodingException e) {
            int sequenceBytes = e instanceof MalformedInputException malformed ? malformed.getInputLength() : 1;
            throw new InvalidModelException(String.format(Locale.ROOT, "header of %s is not valid UTF-8: malformed"
                    + " sequence of %d byte(s) at byte %d of the %d-byte header (file offset %d)", fileName,
                    sequenceBytes, bytes.position(), headerLengthBytes, LENGTH_PREFIX_BYTES + bytes.position()), e);
        }
    }

    /** Returns the length without trailing 0x20 bytes; a space is one byte in UTF-8, so the text is unchanged. */
    private static int withoutTrailingSpaces(ByteBuffer bytes) {
        int end = bytes.limit();
        while (end > 0 && bytes.get(end - 1) == ' ') {
            end--;
        }
        return end;
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int lengthBytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(lengthBytes);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("file ended at byte " + (position + buffer.position()) + " while reading "
                        + lengthBytes + " bytes at offset " + position);
            }
        }
        return buffer.flip();
    }

    private static String displayName(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }
}
