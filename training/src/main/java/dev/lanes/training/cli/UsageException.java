package dev.lanes.training.cli;

/** Bad command-line usage: the message says what was wrong and what was expected. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * A usage error with this message.
     *
     * @param message what was wrong, for the user
     */
    public UsageException(String message) {
        super(message);
    }
}
