package dev.lanes.training.checkpoint;

import java.io.IOException;

/**
 * A checkpoint file that is corrupt, truncated, or does not hold what was asked for (a missing
 * tensor, another dtype or shape). The message names the file and the problem.
 */
public final class CheckpointFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * The message should start with the file's name.
     *
     * @param message what went wrong, starting with the file's name
     */
    public CheckpointFormatException(String message) {
        super(message);
    }

    /**
     * The message should start with the file's name; {@code cause} is the underlying error.
     *
     * @param message what went wrong, starting with the file's name
     * @param cause the underlying error
     */
    public CheckpointFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
