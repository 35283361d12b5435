package dev.lanes.recurrent;

/**
 * The shape of a recurrent layer besides its sizes, as in PyTorch's constructors: the number of
 * stacked layers, one or two directions, biases, and whether the layer returns its whole output
 * sequence (N, T, directions x hidden) or only the final state of its top layer (N, directions x
 * hidden). Immutable; each method returns a changed copy.
 *
 * <pre>{@code
 * new Lstm(28, 128, RecurrentOptions.DEFAULT.layers(2).bidirectional(true), seed);
 * }</pre>
 */
public record RecurrentOptions(int layers, boolean bidirectional, boolean bias, boolean returnSequences) {
    /** One layer, one direction, with biases, returning the final state. */
    public static final RecurrentOptions DEFAULT = new RecurrentOptions(1, false, true, false);

    /** @throws IllegalArgumentException if {@code layers} is not positive */
    public RecurrentOptions {
        if (layers < 1) {
            throw new IllegalArgumentException("a recurrent layer needs at least one layer, got " + layers);
        }
    }

    /** These options with {@code count} stacked layers. */
    public RecurrentOptions layers(int count) {
        return new RecurrentOptions(count, bidirectional, bias, returnSequences);
    }

    /** These options, run in both directions or not. */
    public RecurrentOptions bidirectional(boolean value) {
        return new RecurrentOptions(layers, value, bias, returnSequences);
    }

    /** These options, with bias vectors or without. */
    public RecurrentOptions bias(boolean value) {
        return new RecurrentOptions(layers, bidirectional, value, returnSequences);
    }

    /** These options, returning every step's output or only the last. */
    public RecurrentOptions returnSequences(boolean value) {
        return new RecurrentOptions(layers, bidirectional, bias, value);
    }

    /** 2 when bidirectional, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }
}
