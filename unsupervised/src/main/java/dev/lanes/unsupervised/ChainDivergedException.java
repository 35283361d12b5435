package dev.lanes.unsupervised;

/**
 * A Gibbs chain or an RBM's parameters became NaN or infinite: Gaussian visible units with too
 * large a learning rate, typically. Training that throws it has put the parameters back to the
 * last good state first (see {@link RbmTrainer#fit}).
 */
public final class ChainDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with the message.
     *
     * @param message what went wrong
     */
    public ChainDivergedException(String message) {
        super(message);
    }

    /**
     * An exception with the message and the cause (a divergence found deeper down).
     *
     * @param message what went wrong
     * @param cause the divergence found deeper down
     */
    public ChainDivergedException(String message, Throwable cause) {
        super(message, cause);
    }
}
