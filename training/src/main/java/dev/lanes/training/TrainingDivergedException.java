package dev.lanes.training;

import java.nio.file.Path;

/**
 * Training stopped because the loss became NaN or infinite. The model holds the weights of the
 * last good state (the end of the last completed epoch, or the initial weights), and the last
 * checkpoint written, if any, is that state too.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The epoch, from 1, in which the loss became non-finite. */
    private final int epoch;
    /** The optimizer step, from 1 over the whole run, whose loss was non-finite. */
    private final long step;
    private final transient Path lastGoodCheckpoint;

    /**
     * An exception for a run that diverged at {@code step} of {@code epoch}; the checkpoint may be null.
     *
     * @param message what diverged
     * @param epoch the epoch, from 1
     * @param step the optimizer step, from 1 over the whole run
     * @param lastGoodCheckpoint the last checkpoint written before, or null
     */
    public TrainingDivergedException(String message, int epoch, long step, Path lastGoodCheckpoint) {
        super(message);
        this.epoch = epoch;
        this.step = step;
        this.lastGoodCheckpoint = lastGoodCheckpoint;
    }

    /** {@return the epoch (from 1) in which the loss became non-finite} */
    public int epoch() {
        return epoch;
    }

    /**
     * {@return the optimizer step (from 1, counted over the whole run) whose loss was non-finite}
     */
    public long step() {
        return step;
    }

    /** {@return the last good checkpoint, or null when none was written} */
    public Path lastGoodCheckpoint() {
        return lastGoodCheckpoint;
    }
}
