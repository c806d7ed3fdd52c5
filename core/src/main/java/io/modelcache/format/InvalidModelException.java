package io.modelcache.format;

import java.util.Locale;

/**
 * Thrown when a model file breaks its format. The message names the file, the tensor (when there is one), the
 * offending value and the limit it broke, with units, so that it can be shown to an operator as it is.
 */
public final class InvalidModelException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the file, tensor, value and limit
     */
    public InvalidModelException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the lower-level failure that revealed the problem.
     *
     * @param message what is wrong, naming the file, tensor, value and limit
     * @param cause the failure that revealed the problem, for example a JSON parse error
     */
    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Formats a message with {@link String#format} in the root locale (digits without grouping). */
    static InvalidModelException of(String format, Object... args) {
        return new InvalidModelException(String.format(Locale.ROOT, format, args));
    }
}
