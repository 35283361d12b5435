package dev.lanes.training.data;

import java.io.IOException;

/**
 * An IDX file (or a pair of image and label files) that is truncated, corrupt or not what was
 * asked for. The message names the file and what was wrong with it.
 */
public final class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * The message should start with the file's name.
     *
     * @param message what went wrong, starting with the file's name
     */
    public IdxFormatException(String message) {
        super(message);
    }

    /**
     * The message should start with the file's name; {@code cause} is the underlying error.
     *
     * @param message what went wrong, starting with the file's name
     * @param cause the underlying error
     */
    public IdxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
