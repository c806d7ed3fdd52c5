package io.modelcache.sim.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Measures the CPU time and peak memory of child processes over windows of the caller's choosing (one put, one load
 * round), from Linux's {@code /proc}: CPU is user plus system time ({@link ProcessHandle.Info#totalCpuDuration()},
 * which reads {@code /proc/PID/stat}), peak memory the resident set's high-water mark ({@code VmHWM} in
 * {@code /proc/PID/status}), reset at the start of each window by writing {@code 5} to {@code /proc/PID/clear_refs}.
 *
 * <p>A daemon thread samples every tracked process while it runs, so a process that dies in a window (a node killed
 * with SIGKILL) still reports what it used up to its last sample. Where the reset is not allowed, VmHWM would be the
 * peak since the process started, so the peak is the largest resident set sampled in the window instead (it can
 * miss a spike shorter than the sampling interval).
 *
 * <p>Thread-safe: the sampler and the caller share the per-process state under this object's lock. Windows do not
 * nest: {@link #begin()} opens one for every tracked process, {@link #end()} closes it.
 */
public final class ProcessMeter implements AutoCloseable {
    private final Map<ChildProcess, State> states = new LinkedHashMap<>();
    private final Thread sampler;
    private final long intervalMs;

    /**
     * What one process used in one window.
     *
     * @param cpuSeconds user plus system CPU time
     * @param peakRssBytes the largest resident set
     * @param isAlive whether the process was still running when the window closed
     */
    public record Usage(double cpuSeconds, long peakRssBytes, boolean isAlive) {
    }

    private static final class State {
        double windowStartCpuSeconds;
        double lastCpuSeconds;
        long windowPeakBytes;
        boolean isHighWaterMarkReset;
    }

    /** Starts the sampler, which reads every tracked process each {@code interval}. */
    public ProcessMeter(Duration interval) {
        this.intervalMs = interval.toMillis();
        this.sampler = new Thread(this::sampleUntilClosed, "process-meter");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Measures {@code process} from the next window on. */
    public synchronized void track(ChildProcess process) {
        State state = new State();
        state.lastCpuSeconds = cpuSeconds(process).orElse(0);
        state.windowStartCpuSeconds = state.lastCpuSeconds;
        states.put(process, state);
    }

    /** Stops measuring {@code process} (it was stopped on purpose). */
    public synchronized void untrack(ChildProcess process) {
        states.remove(process);
    }

    /** Opens a window: takes every tracked process's CPU time and resets its peak memory. */
    public synchronized void begin() {
        for (Map.Entry<ChildProcess, State> entry : states.entrySet()) {
            ChildProcess process = entry.getKey();
            State state = entry.getValue();
            sample(process, state);
            state.windowStartCpuSeconds = state.lastCpuSeconds;
            state.isHighWaterMarkReset = resetPeak(process);
            state.windowPeakBytes = status(process, "VmRSS:");
        }
    }

    /** @return what each tracked process used since {@link #begin()}, by process, in tracking order */
    public synchronized Map<ChildProcess, Usage> end() {
        Map<ChildProcess, Usage> usage = new LinkedHashMap<>();
        for (Map.Entry<ChildProcess, State> entry : states.entrySet()) {
            ChildProcess process = entry.getKey();
            State state = entry.getValue();
            sample(process, state);
            usage.put(process, new Usage(Math.max(0, state.lastCpuSeconds - state.windowStartCpuSeconds),
                state.windowPeakBytes, process.isAlive()));
        }
        return usage;
    }

    private void sampleUntilClosed() {
        while (!Thread.currentThread().isInterrupted()) {
            synchronized (this) {
                for (Map.Entry<ChildProcess, State> entry : states.entrySet()) {
                    sample(entry.getKey(), entry.getValue());
                }
            }
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException closed) {
                return;
            }
        }
    }

    /** Reads a live process's CPU time and high-water mark into its state; a dead one keeps its last sample. */
    private static void sample(ChildProcess process, State state) {
        if (!process.isAlive()) {
            return;
        }
        cpuSeconds(process).ifPresent(seconds -> state.lastCpuSeconds = seconds);
        long resident = status(process, "VmRSS:");
        long peak = state.isHighWaterMarkReset ? Math.max(status(process, "VmHWM:"), resident) : resident;
        state.windowPeakBytes = Math.max(state.windowPeakBytes, peak);
    }

    private static OptionalDouble cpuSeconds(ChildProcess process) {
        return process.process().toHandle().info().totalCpuDuration()
            .map(duration -> OptionalDouble.of(duration.toNanos() / 1e9))
            .orElse(OptionalDouble.empty());
    }

    /** @return the value of a {@code /proc/PID/status} line in bytes ({@code VmHWM:  1956 kB}), 0 when unknown */
    static long status(ChildProcess process, String field) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"));
            for (String line : lines) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // The process exited between the check and the read, or this is not Linux: unknown.
        }
        return 0;
    }

    /** @return whether VmHWM now starts again from the current resident set */
    private static boolean resetPeak(ChildProcess process) {
        try {
            Files.writeString(Path.of("/proc", Long.toString(process.pid()), "clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException notAllowed) {
            return false;
        }
    }

    /** Stops the sampler. */
    @Override
    public void close() {
        sampler.interrupt();
    }
}
