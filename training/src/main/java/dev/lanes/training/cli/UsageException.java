package dev.lanes.training.cli;

/** Bad command-line usage: the message says what was wrong and what was expected. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A usage error with this message. */
    public UsageException(String message) {
        super(message);
    }
}
