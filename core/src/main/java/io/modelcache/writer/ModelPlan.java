package io.modelcache.writer;

import io.modelcache.format.InvalidModelException;
import io.modelcache.format.Safetensors;
import io.modelcache.format.SafetensorsIndex;
import io.modelcache.format.TensorInfo;
import io.modelcache.manifest.ChunkEntry;
import io.modelcache.manifest.FileEntry;
import io.modelcache.manifest.Manifest;
import io.modelcache.manifest.ModelState;
import io.modelcache.manifest.TensorEntry;
import io.modelcache.placement.ChunkKey;
import io.modelcache.placement.PlacementChoice;
import io.modelcache.store.StoredChunk;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A model read from disk and planned for storing: its manifest (state {@code STAGING}) and its files mapped
 * read-only, so chunks are sent straight from the page cache.
 *
 * <p>Reading validates every {@code .safetensors} file's header before anything is sent, hashes each file
 * with SHA-256 and each chunk with CRC32C, then assigns chunks to partitions: after the last file, because
 * {@code range} placement needs the chunk count and the default partition count is capped by it. A
 * {@code random} placement given no seed takes the version (a content digest) as its seed, so the same
 * content is placed the same way. The plan owns a shared arena holding the mappings; {@link #close()} unmaps
 * them.
 */
public final class ModelPlan implements AutoCloseable {
    /** Model names: what a user can type and a path can hold. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Manifest manifest;
    private final MemorySegment[] files;
    private final Arena arena;

    private ModelPlan(Manifest manifest, MemorySegment[] files, Arena arena) {
        this.manifest = manifest;
        this.files = files;
        this.arena = arena;
    }

    /** @return the manifest, in state {@code STAGING} */
    public Manifest manifest() {
        return manifest;
    }

    /** @return the bytes of chunk {@code chunkId}, valid until {@link #close()} */
    public MemorySegment chunkBytes(int chunkId) {
        ChunkEntry chunk = manifest.chunks().get(chunkId);
        return files[chunk.fileIndex()].asSlice(chunk.offsetBytes(), chunk.lengthBytes());
    }

    @Override
    public void close() {
        arena.close();
    }

    /**
     * Checks a model name.
     *
     * @throws IllegalArgumentException naming the value and the rule
     */
    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("model name '" + name + "' is invalid: use 1 to 128 letters, digits, "
                + "'.', '_' or '-', starting with a letter or digit");
        }
    }

    /**
     * Reads a model: one file, or every regular file under a directory.
     *
     * @param path the file or directory
     * @param name the model's name
     * @param chunkSizeBytes the largest chunk
     * @param placement how chunks are assigned to partitions, and how many partitions there are
     * @throws IOException if a file cannot be read
     * @throws InvalidModelException if a file is not a valid model file, or there is nothing to store
     * @throws IllegalArgumentException if the name is invalid, or an exact partition count exceeds the chunks
     */
    public static ModelPlan read(Path path, String name, long chunkSizeBytes, PlacementChoice placement)
        throws IOException, InvalidModelException {
        checkName(name);
        List<Path> paths = listFiles(path);
        Path root = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        Arena arena = Arena.ofShared();
        try {
            return plan(paths, root, name, chunkSizeBytes, placement, arena);
        } catch (IOException | InvalidModelException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static ModelPlan plan(List<Path> paths, Path root, String name, long chunkSizeBytes,
                                  PlacementChoice placement, Arena arena) throws IOException, InvalidModelException {
        List<FileEntry> files = new ArrayList<>();
        List<TensorEntry> tensors = new ArrayList<>();
        List<ChunkEntry> chunks = new ArrayList<>();
        List<ChunkKey> keys = new ArrayList<>();
        MemorySegment[] mapped = new MemorySegment[paths.size()];
        for (int fileIndex = 0; fileIndex < paths.size(); fileIndex++) {
            Path file = paths.get(fileIndex);
            String relative = root.relativize(file.toAbsolutePath()).toString().replace('\\', '/');
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                if (Safetensors.isSafetensors(file)) {
                    addTensors(fileIndex, Safetensors.read(channel, relative), tensors);
                }
                long size = channel.size();
                mapped[fileIndex] = size == 0 ? MemorySegment.NULL
                    : channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            }
            String sha256 = hashAndChunk(fileIndex, mapped[fileIndex], chunkSizeBytes, chunks, keys);
            files.add(new FileEntry(relative, mapped[fileIndex].byteSize(), sha256));
        }

        String version = version(files);
        int partitionCount = placement.partitionCountFor(chunks.size(), name + "@" + version);
        long seed = placement.seedFor(Long.parseUnsignedLong(version, 16));
        List<ChunkEntry> placed = place(chunks, placement.placement().assign(keys, partitionCount, seed));
        Manifest manifest = new Manifest(name, version, ModelState.STAGING, placement.placement().name(), seed,
            partitionCount, 1, (int) chunkSizeBytes, files, tensors, placed, System.currentTimeMillis());
        return new ModelPlan(manifest, mapped, arena);
    }

    private static void addTensors(int fileIndex, SafetensorsIndex index, List<TensorEntry> tensors) {
        for (TensorInfo tensor : index.tensors()) {
            tensors.add(new TensorEntry(fileIndex, tensor.name(), tensor.dtype().name(), tensor.shape(),
                tensor.beginOffset(), tensor.byteLength()));
        }
    }

    /** Hashes a file and cuts it into chunks, not yet placed (partition 0), with their placement keys. */
    private static String hashAndChunk(int fileIndex, MemorySegment bytes, long chunkSizeBytes,
                                       List<ChunkEntry> chunks, List<ChunkKey> keys) {
        MessageDigest sha256 = sha256();
        long size = bytes.byteSize();
        long chunkInFile = 0;
        for (long offset = 0; offset < size; offset += chunkSizeBytes, chunkInFile++) {
            int length = (int) Math.min(chunkSizeBytes, size - offset);
            MemorySegment chunk = bytes.asSlice(offset, length);
            sha256.update(chunk.asByteBuffer());
            chunks.add(new ChunkEntry(fileIndex, offset, length, StoredChunk.crc32c(chunk), 0));
            keys.add(new ChunkKey(fileIndex, chunkInFile));
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static List<ChunkEntry> place(List<ChunkEntry> chunks, int[] partitions) {
        List<ChunkEntry> placed = new ArrayList<>(chunks.size());
        for (int chunkId = 0; chunkId < partitions.length; chunkId++) {
            ChunkEntry chunk = chunks.get(chunkId);
            placed.add(new ChunkEntry(chunk.fileIndex(), chunk.offsetBytes(), chunk.lengthBytes(), chunk.crc32c(),
                partitions[chunkId]));
        }
        return placed;
    }

    private static List<Path> listFiles(Path path) throws IOException, InvalidModelException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file or directory");
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(path)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new InvalidModelException("directory " + path + " holds no files to store");
        }
        return files;
    }

    private static String version(List<FileEntry> files) {
        MessageDigest digest = sha256();
        for (FileEntry file : files) {
            digest.update(file.path().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(file.sha256Hex().getBytes(StandardCharsets.US_ASCII));
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }
}
