package io.modelcache.sim;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;

/**
 * Ties a child JVM's life to the bench that started it: the bench keeps the child's standard input open as a
 * pipe and never writes to it, so end-of-input means the bench is gone (exited, crashed or killed with SIGKILL).
 * The child then exits through {@code System.exit}, which runs its shutdown hooks (a modelcache node leaves the
 * cluster).
 *
 * <p>As a main class it wraps another one: {@code ParentWatch io.modelcache.app.ModelCacheCommand node ...}
 * watches, then runs {@code ModelCacheCommand.main} with the remaining arguments.
 */
public final class ParentWatch {
    private ParentWatch() {
    }

    /**
     * Runs the main class named by the first argument with the others, exiting when standard input closes.
     *
     * @param args the main class's name, then its arguments
     * @throws Throwable whatever that main throws
     */
    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: ParentWatch MAIN_CLASS [ARGUMENT...]");
            System.exit(2);
        }
        exitWhenStdinCloses();
        MethodHandle main = MethodHandles.publicLookup().findStatic(Class.forName(args[0]), "main",
            MethodType.methodType(void.class, String[].class));
        main.invoke(Arrays.copyOfRange(args, 1, args.length));
    }

    /** Starts a daemon thread that exits the JVM with code 0 when standard input reaches its end. */
    public static void exitWhenStdinCloses() {
        Thread watcher = new Thread(() -> {
            InputStream in = System.in;
            try {
                while (in.read() >= 0) {
                    // The bench never writes; anything read is ignored.
                }
            } catch (IOException closed) {
                // Same as end of input: the parent is gone.
            }
            System.exit(0);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
