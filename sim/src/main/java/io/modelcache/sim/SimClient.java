package io.modelcache.sim;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.modelcache.client.ModelCacheClient;
import io.modelcache.loader.LoadRequest;
import io.modelcache.loader.LoadedModel;
import io.modelcache.manifest.FileEntry;
import io.modelcache.node.Failures;
import io.modelcache.node.TransferStrategy;
import io.modelcache.sim.scenario.ProtocolLine;
import io.modelcache.writer.ProgressListener;
import io.modelcache.writer.PutRequest;
import io.modelcache.writer.PutResult;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A simulated inference service: a JVM that joins the cluster as a client member ({@link ModelCacheClient}) and
 * runs what the simulator asks, one command at a time, answering each with one {@link ProtocolLine} on standard
 * output. Everything else it prints (logs, libraries) goes to standard error.
 *
 * <p>Commands: {@code put} (store a file with a placement, store strategy, P and replicas), {@code load} (load a
 * model into off-heap memory with a strategy and P, then compare it with its source file byte for byte, outside the
 * measured time), {@code remove}, {@code await-nodes} (until the cluster has that many data nodes up). A load may
 * carry {@code hold-at}, a fraction of its bytes: at the first progress report at or past it the client prints a
 * {@code progress} event and holds the load until the simulator sends {@code resume} (or 60 s pass), so that a fault
 * lands while the load has work left. The hold blocks the load's actor, which is what makes it a hold: no new
 * request goes out, and those in flight finish; its length is reported ({@code held-seconds}).
 *
 * <p>Standard input is also the parent watch: at its end (the simulator exited, however) the client exits, leaving
 * the cluster through its shutdown hook.
 *
 * <p>Arguments: {@code --seed HOST:PORT} (repeatable), {@code --config FILE} (member settings, optional).
 */
public final class SimClient {
    private static final long HOLD_TIMEOUT_MS = 60_000;
    private static final long STATUS_POLL_MS = 200;

    private final ModelCacheClient client;
    private final PrintStream protocol;
    private final Map<String, CompletableFuture<Void>> holds = new ConcurrentHashMap<>();
    private final Map<String, Double> heldSecondsById = new ConcurrentHashMap<>();

    private SimClient(ModelCacheClient client, PrintStream protocol) {
        this.client = client;
        this.protocol = protocol;
    }

    /**
     * Joins the cluster, prints {@code ready}, then runs commands from standard input until it ends.
     *
     * @param args {@code --seed HOST:PORT}..., optionally {@code --config FILE}
     */
    public static void main(String[] args) throws Exception {
        // Protocol lines only on standard output: whatever else prints there goes to standard error instead.
        PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        List<String> seeds = new ArrayList<>();
        Config config = ConfigFactory.empty();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seed" -> seeds.add(args[i + 1]);
                case "--config" -> config = ConfigFactory.parseFile(Path.of(args[i + 1]).toFile());
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (seeds.isEmpty() || args.length % 2 != 0) {
            usage("give at least one --seed HOST:PORT");
        }

        BlockingQueue<ProtocolLine> commands = new LinkedBlockingQueue<>();
        ModelCacheClient client = ModelCacheClient.connect("127.0.0.1", seeds, config);
        SimClient simClient = new SimClient(client, protocol);
        simClient.readCommands(commands);
        simClient.send(ProtocolLine.of("ready"));
        while (true) {
            simClient.run(commands.take());
        }
    }

    private static void usage(String problem) {
        System.err.println("SimClient: " + problem + "; usage: SimClient --seed HOST:PORT... [--config FILE]");
        System.exit(2);
    }

    /** Reads standard input on a daemon thread: holds are released at once, other commands queued; exits at EOF. */
    private void readCommands(BlockingQueue<ProtocolLine> commands) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    ProtocolLine command = ProtocolLine.parse(line);
                    if (command == null) {
                        continue;
                    }
                    if (command.verb().equals("resume")) {
                        holds.computeIfAbsent(command.get("id"), id -> new CompletableFuture<>()).complete(null);
                    } else {
                        commands.add(command);
                    }
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("SimClient: standard input failed: " + Failures.describe(e));
            }
            client.close();
            System.exit(0);
        }, "sim-client-commands");
        reader.setDaemon(true);
        reader.start();
    }

    private void run(ProtocolLine command) {
        String id = command.get("id", "0");
        long startNs = System.nanoTime();
        try {
            ProtocolLine result = switch (command.verb()) {
                case "put" -> put(command);
                case "load" -> load(command);
                case "remove" -> remove(command);
                case "await-nodes" -> awaitNodes(command);
                default -> throw new IllegalArgumentException("unknown command '" + command.verb() + "'");
            };
            send(result.with("id", id).with("op", command.verb()).with("ok", true));
        } catch (TimeoutException e) {
            send(failure(command, startNs, command.verb() + " did not end within " + command.get("timeout-ms", "?")
                + " ms"));
        } catch (Exception e) {
            send(failure(command, startNs, Failures.describe(e)));
        } finally {
            heldSecondsById.remove(id);
        }
    }

    private ProtocolLine failure(ProtocolLine command, long startNs, String error) {
        String id = command.get("id", "0");
        return ProtocolLine.of("result", "id", id, "op", command.verb(), "ok", false,
            "seconds", (System.nanoTime() - startNs) / 1e9, "held-seconds", heldSecondsById.getOrDefault(id, 0.0),
            "error", error);
    }

    private ProtocolLine put(ProtocolLine command) throws Exception {
        PutRequest request = PutRequest.of(Path.of(command.get("path")), command.get("name"))
            .withPlacement(command.get("placement"))
            .withStoreStrategy(TransferStrategy.named("store", command.get("store")))
            .withParallelism((int) command.getLong("parallelism"))
            .withReplicas((int) command.getLong("replicas"));
        PutResult.Stored stored = client.put(request).toCompletableFuture()
            .get(command.getLong("timeout-ms"), TimeUnit.MILLISECONDS);
        return ProtocolLine.of("result", "seconds", stored.seconds(), "bytes", stored.bytes(),
            "chunks", stored.chunks(), "partitions", stored.partitions(), "replicas", stored.replicas(),
            "strategy", stored.strategy().label(), "parallelism", stored.parallelism(),
            "peak-in-flight", stored.peakInFlight(), "model-id", stored.modelId());
    }

    private ProtocolLine load(ProtocolLine command) throws Exception {
        String id = command.get("id");
        LoadRequest request = LoadRequest.intoMemory(command.get("name"))
            .withStrategy(TransferStrategy.named("strategy", command.get("strategy")))
            .withParallelism((int) command.getLong("parallelism"))
            .withSha256Check(false);
        if (command.fields().containsKey("hold-at")) {
            request = request.withProgress(new Hold(id, command.getDouble("hold-at")));
        }
        try (LoadedModel model = client.load(request).toCompletableFuture()
            .get(command.getLong("timeout-ms"), TimeUnit.MILLISECONDS)) {
            long compareStartNs = System.nanoTime();
            long mismatchAt = compare(model, Path.of(command.get("source")));
            return ProtocolLine.of("result", "seconds", model.seconds(), "transfer-seconds", model.transferSeconds(),
                "bytes", model.bytes(), "strategy", model.strategy().label(), "parallelism", model.parallelism(),
                "identical", mismatchAt < 0, "mismatch-at", mismatchAt,
                "compare-seconds", (System.nanoTime() - compareStartNs) / 1e9,
                "held-seconds", heldSecondsById.getOrDefault(id, 0.0));
        } finally {
            holds.remove(id);
        }
    }

    /**
     * Compares every file of the loaded model with its source: the file itself for a one-file model, else the file
     * of the same path under the source directory.
     *
     * @return the model-wide offset of the first byte that differs, or -1 when every byte is the same
     */
    private static long compare(LoadedModel model, Path source) throws IOException {
        long offset = 0;
        List<FileEntry> files = model.manifest().files();
        for (FileEntry file : files) {
            Path expected = files.size() == 1 && !Files.isDirectory(source) ? source : source.resolve(file.path());
            try (Arena arena = Arena.ofConfined();
                 FileChannel channel = FileChannel.open(expected, StandardOpenOption.READ)) {
                MemorySegment original = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
                long mismatch = original.mismatch(model.file(file.path()));
                if (mismatch >= 0) {
                    return offset + mismatch;
                }
                offset += original.byteSize();
            }
        }
        return -1;
    }

    private ProtocolLine remove(ProtocolLine command) throws Exception {
        client.remove(command.get("name")).toCompletableFuture().get(command.getLong("timeout-ms"),
            TimeUnit.MILLISECONDS);
        return ProtocolLine.of("result");
    }

    private ProtocolLine awaitNodes(ProtocolLine command) throws Exception {
        long count = command.getLong("count");
        long timeoutMs = command.getLong("timeout-ms");
        long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000;
        long startNs = System.nanoTime();
        while (true) {
            int up = client.clusterStatus().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS).nodes().size();
            if (up >= count) {
                return ProtocolLine.of("result", "nodes", up, "seconds", (System.nanoTime() - startNs) / 1e9);
            }
            if (System.nanoTime() > deadlineNs) {
                throw new TimeoutException("the cluster has " + up + " data nodes up, not " + count + ", after "
                    + timeoutMs + " ms");
            }
            Thread.sleep(STATUS_POLL_MS);
        }
    }

    private synchronized void send(ProtocolLine line) {
        protocol.println(line.render());
    }

    /** Holds a load at a fraction of its bytes until the simulator says {@code resume}. */
    private final class Hold implements ProgressListener {
        private final String id;
        private final double fraction;
        private final AtomicBoolean isDone = new AtomicBoolean();

        Hold(String id, double fraction) {
            this.id = id;
            this.fraction = fraction;
        }

        @Override
        public void progressed(long doneBytes, long totalBytes) {
            if (doneBytes < fraction * totalBytes || !isDone.compareAndSet(false, true)) {
                return;
            }
            CompletableFuture<Void> resume = holds.computeIfAbsent(id, key -> new CompletableFuture<>());
            long startNs = System.nanoTime();
            send(ProtocolLine.of("progress", "id", id, "done", doneBytes, "total", totalBytes));
            try {
                resume.get(HOLD_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                System.err.println("SimClient: no resume for load " + id + " within " + HOLD_TIMEOUT_MS
                    + " ms; going on");
            }
            heldSecondsById.put(id, (System.nanoTime() - startNs) / 1e9);
        }
    }
}
