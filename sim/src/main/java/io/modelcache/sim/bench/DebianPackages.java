package io.modelcache.sim.bench;

import io.modelcache.sim.process.ChildProcess;
import io.modelcache.sim.process.Workspace;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds the server programs the bench runs (redis-server, memcached) and installs Debian's packages for them. */
final class DebianPackages {
    private static final long INSTALL_TIMEOUT_MS = 300_000;

    private DebianPackages() {
    }

    /** @return the program on the {@code PATH} or in {@code /usr/bin}, {@code /usr/sbin}; empty when absent */
    static Optional<Path> findProgram(String program) {
        List<String> directories = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(
            File.pathSeparator)));
        directories.addAll(List.of("/usr/bin", "/usr/sbin", "/usr/local/bin"));
        for (String directory : directories) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Finds {@code program}; when it is missing and {@code mayInstall} holds, runs
     * {@code apt-get install -y PACKAGE} (as root only) and looks again.
     *
     * @return the program's path
     * @throws UnavailableException saying why the program is not there and could not be installed
     */
    static Path require(String program, String packageName, boolean mayInstall, Workspace workspace,
                        PrintStream out) throws UnavailableException, InterruptedException {
        Optional<Path> found = findProgram(program);
        if (found.isPresent()) {
            return found.get();
        }
        String missing = program + " not found on PATH";
        String hint = "install Debian's package: apt-get install -y " + packageName;
        if (!mayInstall) {
            throw new UnavailableException(missing + " (" + hint + ")");
        }
        if (findProgram("apt-get").isEmpty()) {
            throw new UnavailableException(missing + " and there is no apt-get to install " + packageName);
        }
        if (!"root".equals(ProcessHandle.current().info().user().orElse(""))) {
            throw new UnavailableException(missing + " and installing needs root (" + hint + ")");
        }
        out.println(missing + "; running apt-get install -y " + packageName + " ...");
        install(packageName, workspace);
        return findProgram(program).orElseThrow(() -> new UnavailableException(missing + " even after "
            + "apt-get install -y " + packageName));
    }

    private static void install(String packageName, Workspace workspace)
        throws UnavailableException, InterruptedException {
        ChildProcess apt;
        try {
            apt = workspace.start("apt-get-" + packageName, List.of("apt-get", "install", "-y", "-q", packageName),
                Map.of("DEBIAN_FRONTEND", "noninteractive"));
        } catch (java.io.IOException e) {
            throw new UnavailableException("apt-get install -y " + packageName + " could not start: " + e.getMessage());
        }
        try {
            if (!apt.process().waitFor(INSTALL_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new UnavailableException("apt-get install -y " + packageName + " did not finish within "
                    + INSTALL_TIMEOUT_MS + " ms; " + apt.logSummary());
            }
            if (apt.process().exitValue() != 0) {
                throw new UnavailableException("apt-get install -y " + packageName + " failed with exit code "
                    + apt.process().exitValue() + "; " + apt.logSummary());
            }
        } finally {
            workspace.stop(apt, 5_000);
        }
    }

    /** A system that cannot run here, with the one-line reason. */
    static final class UnavailableException extends Exception {
        UnavailableException(String reason) {
            super(reason);
        }
    }
}
