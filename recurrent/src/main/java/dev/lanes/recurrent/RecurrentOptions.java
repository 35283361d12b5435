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
 *
 * @param layers the number of stacked layers, {@code >= 1}
 * @param bidirectional whether a second direction reads the sequence backward
 * @param bias whether the layer has bias vectors
 * @param returnSequences true to return every step's output (N, T, directions x hidden), false for
 *     the last step's only
 */
public record RecurrentOptions(int layers, boolean bidirectional, boolean bias, boolean returnSequences) {
    /** One layer, one direction, with biases, returning the final state. */
    public static final RecurrentOptions DEFAULT = new RecurrentOptions(1, false, true, false);

    /**
     * Checks the layer count.
     *
     * @throws IllegalArgumentException if {@code layers} is not positive
     */
    public RecurrentOptions {
        if (layers < 1) {
            throw new IllegalArgumentException("a recurrent layer needs at least one layer, got " + layers);
        }
    }

    /**
     * These options with {@code count} stacked layers.
     *
     * @param count the number of stacked layers, {@code >= 1}
     * @return new options, these with the given layer count
     */
    public RecurrentOptions layers(int count) {
        return new RecurrentOptions(count, bidirectional, bias, returnSequences);
    }

    /**
     * These options, run in both directions or not.
     *
     * @param value true for both directions
     * @return new options, these with the given directions
     */
    public RecurrentOptions bidirectional(boolean value) {
        return new RecurrentOptions(layers, value, bias, returnSequences);
    }

    /**
     * These options, with bias vectors or without.
     *
     * @param value true for bias vectors
     * @return new options, these with or without biases
     */
    public RecurrentOptions bias(boolean value) {
        return new RecurrentOptions(layers, bidirectional, value, returnSequences);
    }

    /**
     * These options, returning every step's output or only the last.
     *
     * @param value true to return every step's output, false for the last one's
     * @return new options, these with the given output
     */
    public RecurrentOptions returnSequences(boolean value) {
        return new RecurrentOptions(layers, bidirectional, bias, value);
    }

    /**
     * 2 when bidirectional, else 1.
     *
     * @return 2 when bidirectional, else 1
     */
    public int directions() {
        return bidirectional ? 2 : 1;
    }
}
