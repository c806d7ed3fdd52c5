package io.modelcache.node;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
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
        if (cause instanceof FileSystemException files) {
            return describe(files);
        }
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return message.replace('\n', ' ');
    }

    /** File system exceptions carry the path as their message; say what happened to it. */
    private static String describe(FileSystemException failure) {
        String what = switch (failure) {
            case NoSuchFileException ignored -> "no such file or directory";
            case FileAlreadyExistsException ignored -> "already exists and is not a directory";
            case NotDirectoryException ignored -> "not a directory";
            case AccessDeniedException ignored -> "permission denied";
            case DirectoryNotEmptyException ignored -> "directory not empty";
            default -> failure.getReason() != null ? failure.getReason() : failure.getClass().getSimpleName();
        };
        String path = failure.getOtherFile() != null ? failure.getFile() + " -> " + failure.getOtherFile()
            : failure.getFile();
        return what + ": " + path;
    }
}
