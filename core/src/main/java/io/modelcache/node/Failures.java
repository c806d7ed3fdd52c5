package io.modelcache.node;

import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns a failure into the one line a user reads: the innermost useful message, without wrapper noise. */
public final class Failures {
    private Failures() {
    }

    /**
     * @param failure any failure, possibly wrapped by futures
     * @return one line saying what was wrong
     */
    public static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && (cause instanceof CompletionException
            || cause instanceof ExecutionException || cause.getMessage() == null)) {
            cause = cause.getCause();
        }
        if (cause instanceof NoSuchFileException missing) {
            return "no such file or directory: " + missing.getFile();
        }
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return message.replace('\n', ' ');
    }
}
