package org.custody.cli;

/**
 * A mistake in what the user gave (arguments, files, input): the message says what was wrong and what to
 * do next; the command ends with {@code status} (2, usage or input error, unless said otherwise).
 */
final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    UserError(String message) {
        this(message, Exit.USAGE);
    }

    UserError(String message, int status) {
        super(message);
        this.status = status;
    }

    UserError(String message, Throwable cause) {
        super(message, cause);
        this.status = Exit.USAGE;
    }

    int status() {
        return status;
    }
}
