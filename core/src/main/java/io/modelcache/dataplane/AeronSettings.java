package io.modelcache.dataplane;

import com.typesafe.config.Config;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Aeron data plane's settings, {@code modelcache.data-plane.aeron}; the defaults are in
 * {@code reference.conf}.
 *
 * @param directory the media driver's directory; empty means a fresh one under {@code /dev/shm} that this member
 *     owns. Members on one host that set the same directory share one driver (the first one to start embeds
 *     it), and a loader then reads over IPC from the nodes on that driver
 * @param host the data node's UDP endpoint host; empty means the node's cluster hostname
 * @param port the data node's UDP endpoint port; 0 picks a free one
 * @param mtuBytes the UDP MTU, a multiple of 32 up to 65504; one fragment carries at most this less 32 bytes
 * @param ipcMtuBytes the IPC MTU, same rules
 * @param socketBufferBytes the UDP send and receive buffers the driver asks for, lowered to the kernel's
 *     maximum ({@code /proc/sys/net/core/[rw]mem_max}) when that is smaller
 * @param initialWindowBytes the receiver's flow-control window, lowered to the receive buffer when larger
 *     (the driver refuses a window above the buffer)
 * @param termLengthBytes the term length of UDP publications, a power of two in 64 KiB..1 GiB
 * @param ipcTermLengthBytes the term length of IPC publications, same rules
 * @param idleStrategy how idle polling threads wait: {@code backoff} (spin 10 times, yield 20 times, then park
 *     1 µs..1 ms) or {@code sleeping} (park 100 µs); never a busy spin, which measured 4-9x slower on 2 cores
 * @param responseTimeout how long a loader waits for the next bytes of a request before failing it
 * @param connectTimeout how long a loader waits for a data node's request stream to connect
 */
public record AeronSettings(
    String directory,
    String host,
    int port,
    int mtuBytes,
    int ipcMtuBytes,
    int socketBufferBytes,
    int initialWindowBytes,
    int termLengthBytes,
    int ipcTermLengthBytes,
    String idleStrategy,
    Duration responseTimeout,
    Duration connectTimeout) {

    /** Spin, yield, then park with a growing period: the idle strategy by default. */
    public static final String BACKOFF = "backoff";
    /** Park a fixed 100 µs. */
    public static final String SLEEPING = "sleeping";
    /** The largest MTU Aeron accepts. */
    public static final int MAX_MTU_BYTES = 65504;

    private static final int MIN_TERM_LENGTH_BYTES = 64 * 1024;
    private static final int MAX_TERM_LENGTH_BYTES = 1 << 30;

    /**
     * Reads and checks the settings.
     *
     * @param aeron the {@code modelcache.data-plane.aeron} section
     * @throws IllegalArgumentException naming the setting, its value and its limit when one is out of range
     * @throws com.typesafe.config.ConfigException if a setting is missing or of the wrong type
     */
    public static AeronSettings from(Config aeron) {
        AeronSettings settings = new AeronSettings(
            aeron.getString("directory"),
            aeron.getString("host"),
            aeron.getInt("port"),
            intBytes(aeron, "mtu"),
            intBytes(aeron, "ipc-mtu"),
            intBytes(aeron, "socket-buffer"),
            intBytes(aeron, "initial-window"),
            intBytes(aeron, "term-length"),
            intBytes(aeron, "ipc-term-length"),
            aeron.getString("idle-strategy"),
            aeron.getDuration("response-timeout"),
            aeron.getDuration("connect-timeout"));
        settings.check();
        return settings;
    }

    private static int intBytes(Config config, String path) {
        return (int) Math.min(Integer.MAX_VALUE, config.getBytes(path));
    }

    private void check() {
        checkMtu("mtu", mtuBytes);
        checkMtu("ipc-mtu", ipcMtuBytes);
        checkTermLength("term-length", termLengthBytes);
        checkTermLength("ipc-term-length", ipcTermLengthBytes);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("modelcache.data-plane.aeron.port " + port + " is outside 0..65535");
        }
        if (socketBufferBytes < mtuBytes) {
            throw new IllegalArgumentException("modelcache.data-plane.aeron.socket-buffer " + socketBufferBytes
                + " bytes is below the mtu of " + mtuBytes + " bytes");
        }
        if (initialWindowBytes < mtuBytes) {
            throw new IllegalArgumentException("modelcache.data-plane.aeron.initial-window " + initialWindowBytes
                + " bytes is below the mtu of " + mtuBytes + " bytes");
        }
        if (!idleStrategy.equals(BACKOFF) && !idleStrategy.equals(SLEEPING)) {
            throw new IllegalArgumentException("modelcache.data-plane.aeron.idle-strategy '" + idleStrategy
                + "' is unknown; use " + BACKOFF + " or " + SLEEPING);
        }
        if (responseTimeout.isNegative() || responseTimeout.isZero()
            || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("modelcache.data-plane.aeron.response-timeout " + responseTimeout
                + " and connect-timeout " + connectTimeout + " must be greater than 0");
        }
    }

    private static void checkMtu(String name, int bytes) {
        if (bytes < 1024 || bytes > MAX_MTU_BYTES || bytes % 32 != 0) {
            throw new IllegalArgumentException("modelcache.data-plane.aeron." + name + " " + bytes
                + " bytes must be a multiple of 32 in 1024.." + MAX_MTU_BYTES + " bytes");
        }
    }

    private static void checkTermLength(String name, int bytes) {
        if (bytes < MIN_TERM_LENGTH_BYTES || bytes > MAX_TERM_LENGTH_BYTES || Integer.bitCount(bytes) != 1) {
            throw new IllegalArgumentException("modelcache.data-plane.aeron." + name + " " + bytes
                + " bytes must be a power of two in " + MIN_TERM_LENGTH_BYTES + ".." + MAX_TERM_LENGTH_BYTES
                + " bytes");
        }
    }

    /** @return a fresh idle strategy of the configured kind, for one thread */
    public IdleStrategy newIdleStrategy() {
        if (idleStrategy.equals(SLEEPING)) {
            return new SleepingIdleStrategy(TimeUnit.MICROSECONDS.toNanos(100));
        }
        return new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
    }

    /** @return the send buffer to ask for: the configured one, or the kernel's maximum when that is smaller */
    int effectiveSendBufferBytes() {
        return kernelLimited(socketBufferBytes, Path.of("/proc/sys/net/core/wmem_max"));
    }

    /** @return the receive buffer to ask for: the configured one, or the kernel's maximum when that is smaller */
    int effectiveReceiveBufferBytes() {
        return kernelLimited(socketBufferBytes, Path.of("/proc/sys/net/core/rmem_max"));
    }

    /** @return the initial window, at most the receive buffer actually granted */
    int effectiveInitialWindowBytes() {
        return Math.min(initialWindowBytes, effectiveReceiveBufferBytes());
    }

    /**
     * @return {@code configuredBytes}, or the number in {@code limitFile} when it is smaller; the configured value
     *     when the file cannot be read (not Linux)
     */
    static int kernelLimited(int configuredBytes, Path limitFile) {
        // Files.readString and readAllBytes return only "4" of "4194304\n" from /proc on JDK 25: read a line
        try (BufferedReader reader = Files.newBufferedReader(limitFile)) {
            String line = reader.readLine();
            long limitBytes = line == null ? 0 : Long.parseLong(line.trim());
            return limitBytes > 0 ? (int) Math.min(configuredBytes, limitBytes) : configuredBytes;
        } catch (IOException | NumberFormatException e) {
            return configuredBytes;
        }
    }
}
