package io.modelcache.dataplane;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.IoUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One member's Aeron: a media driver (embedded here, or another process's on this host) and the client
 * connected to it, which this member's {@link AeronDataServer} and {@link AeronDataClient} share.
 *
 * <p>An embedded driver runs on one thread (SHARED threading) that idles without spinning, and keeps its
 * directory under {@code /dev/shm} (the system's shared memory; the temporary directory where there is none),
 * named {@code modelcache-aeron-<pid>-<n>}: unique among live processes, and recognizable after a
 * {@code kill -9}, which leaves it behind. The directory is emptied when the driver starts and deleted when it
 * stops, by {@link #close()} or, at the latest, by a shutdown hook.
 *
 * <p>With a configured directory, {@link #start} attaches to the driver already active there and embeds one
 * there only when none is; a driver found active is never deleted from under its owner. Known limit: members
 * attached to a driver that another member embedded lose the data plane when that member exits.
 *
 * <p>Owned by whoever started it (the {@code NodeRuntime}, or a test); the server and client never close it.
 */
public final class AeronMediaDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AeronMediaDriver.class);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** How recently a driver must have shown a heartbeat to count as active. */
    private static final long DRIVER_ACTIVE_TIMEOUT_MS = 5_000;

    private final MediaDriver driver;
    private final Aeron aeron;
    private final String directory;
    private final AeronSettings settings;
    private final Thread shutdownHook;
    private final AtomicBoolean isClosed = new AtomicBoolean();

    private AeronMediaDriver(MediaDriver driver, Aeron aeron, String directory, AeronSettings settings) {
        this.driver = driver;
        this.aeron = aeron;
        this.directory = directory;
        this.settings = settings;
        this.shutdownHook = new Thread(this::shutDown, "modelcache-aeron-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Embeds a media driver (or attaches to the one active in {@code settings.directory()}) and connects a client.
     *
     * @return the started driver; close it to stop
     * @throws IllegalStateException if the driver cannot start or the client cannot connect to it
     */
    public static AeronMediaDriver start(AeronSettings settings) {
        boolean isShared = !settings.directory().isEmpty();
        String directory = isShared ? settings.directory() : uniqueDirectory();
        MediaDriver driver = null;
        if (!isShared || !CommonContext.isDriverActive(new File(directory), DRIVER_ACTIVE_TIMEOUT_MS, ignored -> {
        })) {
            driver = launchDriver(settings, directory);
        }
        try {
            Aeron aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(directory)
                .threadFactory(daemonThreads("modelcache-aeron-client"))
                .errorHandler(e -> LOG.warn("Aeron client error [directory={}, reason={}]", directory, e.toString())));
            AeronMediaDriver started = new AeronMediaDriver(driver, aeron, directory, settings);
            LOG.info("Aeron media driver ready [directory={}, embedded={}, socketBufferBytes={}, windowBytes={}]",
                directory, driver != null, settings.effectiveReceiveBufferBytes(),
                settings.effectiveInitialWindowBytes());
            return started;
        } catch (RuntimeException e) {
            if (driver != null) {
                driver.close();
                IoUtil.delete(new File(directory), true);
            }
            throw new IllegalStateException("cannot connect to the Aeron media driver in " + directory + ": "
                + e.getMessage(), e);
        }
    }

    private static MediaDriver launchDriver(AeronSettings settings, String directory) {
        MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(directory)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .warnIfDirectoryExists(false)
            .threadingMode(ThreadingMode.SHARED)
            .sharedThreadFactory(daemonThreads("modelcache-aeron-driver"))
            .sharedIdleStrategy(settings.newIdleStrategy())
            .mtuLength(settings.mtuBytes())
            .ipcMtuLength(settings.ipcMtuBytes())
            .socketSndbufLength(settings.effectiveSendBufferBytes())
            .socketRcvbufLength(settings.effectiveReceiveBufferBytes())
            .initialWindowLength(settings.effectiveInitialWindowBytes())
            .publicationTermBufferLength(settings.termLengthBytes())
            .ipcTermBufferLength(settings.ipcTermLengthBytes())
            .errorHandler(e -> LOG.warn("Aeron media driver error [directory={}, reason={}]", directory,
                e.toString()));
        try {
            return MediaDriver.launchEmbedded(context);
        } catch (RuntimeException e) {
            IoUtil.delete(new File(directory), true);
            throw new IllegalStateException("cannot start an Aeron media driver in " + directory + ": "
                + e.getMessage(), e);
        }
    }

    /**
     * Daemon threads, so that Aeron never keeps a process alive on its own; the shutdown hook still stops the driver
     * and deletes its directory at exit.
     */
    static ThreadFactory daemonThreads(String name) {
        return runnable -> Thread.ofPlatform().name(name).daemon().unstarted(runnable);
    }

    /** @return a directory name no live process uses: {@code /dev/shm/modelcache-aeron-<pid>-<n>} */
    static String uniqueDirectory() {
        Path shm = Path.of("/dev/shm");
        Path parent = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return parent.resolve(directoryPrefix() + SEQUENCE.incrementAndGet()).toString();
    }

    /** @return the name prefix of every directory this process's embedded drivers make (without a parent) */
    public static String directoryPrefix() {
        return "modelcache-aeron-" + ProcessHandle.current().pid() + "-";
    }

    /** @return the client connected to the driver */
    public Aeron aeron() {
        return aeron;
    }

    /** @return the driver's directory */
    public String directory() {
        return directory;
    }

    /** @return whether this member embedded the driver (and so deletes its directory when it stops) */
    public boolean isEmbedded() {
        return driver != null;
    }

    /** @return the settings the driver was started with */
    public AeronSettings settings() {
        return settings;
    }

    /** Closes the client, then stops an embedded driver and deletes its directory; calling it again does nothing. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down and the hook runs (or ran) anyway
        }
        shutDown();
    }

    private void shutDown() {
        if (!isClosed.compareAndSet(false, true)) {
            return;
        }
        aeron.close();
        if (driver != null) {
            driver.close();
            IoUtil.delete(new File(directory), true);
            LOG.info("Aeron media driver stopped [directory={}]", directory);
        }
    }
}
