package dev.lanes.autodiff;

import dev.lanes.layers.Layer;
import dev.lanes.layers.PoolWindow;

/**
 * The neural-network operations on {@link Var}s: convolution, pooling, dropout, a dense product,
 * joining, and any Lanes layer as a node. Each runs on the same kernels, with the same calls, as
 * the layer of the same name, so a network written with these operations computes what the
 * {@code Sequential} of those layers computes. The losses are in {@link Losses}.
 *
 * <pre>{@code
 * Var h = Nn.maxPool2d(Nn.conv2d(x, w1, b1, ConvSpec.DEFAULT.padding(1)).relu(), 2);
 * Var logits = Nn.linear(h.reshape(n, -1), w2, b2);
 * }</pre>
 */
public final class Nn {
    /**
     * The square windows of {@link #maxPool2d(Var, int)} for sizes 1 to 16, one object each: a node
     * recognises its window by identity and then reuses its geometry, so a run pooling by an int
     * builds no window, geometry or shape.
     */
    private static final PoolWindow[] SQUARE = new PoolWindow[17];

    static {
        for (int size = 1; size < SQUARE.length; size++) {
            SQUARE[size] = PoolWindow.of(size);
        }
    }

    private Nn() {
    }

    /**
     * 2-D convolution (cross-correlation, as the {@code Conv2d} layer): x (N, C, H, W), weight
     * (K, C/groups, R, S), bias (K) or null, output (N, K, P, Q).
     *
     * @param x the input (N, C, H, W)
     * @param weight the weight (K, C/groups, R, S)
     * @param bias the bias (K), or null for none
     * @param spec the stride, padding, dilation and groups
     * @return the Var of the output (N, K, P, Q)
     * @throws IllegalArgumentException naming the shapes when they do not fit the spec
     */
    public static Var conv2d(Var x, Var weight, Var bias, ConvSpec spec) {
        return Conv2dNode.apply(x, weight, bias, spec);
    }

    /**
     * Max pooling over size x size windows with stride size.
     *
     * @param x the input (N, C, H, W)
     * @param size the side of the square window and its stride, {@code >= 1}
     * @return the Var of the pooled output (N, C, P, Q)
     */
    public static Var maxPool2d(Var x, int size) {
        return maxPool2d(x, size > 0 && size < SQUARE.length ? SQUARE[size] : PoolWindow.of(size));
    }

    /**
     * Max pooling (x (N, C, H, W)); the gradient goes to the first maximal element of each window.
     *
     * @param x the input (N, C, H, W)
     * @param window the window: size, stride, padding, dilation and rounding
     * @return the Var of the pooled output (N, C, P, Q)
     */
    public static Var maxPool2d(Var x, PoolWindow window) {
        return PoolNode.apply(PoolNode.Kind.MAX, x, window, false);
    }

    /**
     * Average pooling; {@code countIncludePad} says whether padded positions count in the divisor.
     *
     * @param x the input (N, C, H, W)
     * @param window the window: size, stride, padding, dilation and rounding
     * @param countIncludePad true to divide by the whole window, padding included; false to divide
     *     by the input elements in it
     * @return the Var of the pooled output (N, C, P, Q)
     */
    public static Var avgPool2d(Var x, PoolWindow window, boolean countIncludePad) {
        return PoolNode.apply(PoolNode.Kind.AVG, x, window, countIncludePad);
    }

    /**
     * {@return the maximum of each (h, w) plane: (N, C, H, W) to (N, C)}
     *
     * @param x the input
     */
    public static Var globalMaxPool2d(Var x) {
        return PoolNode.apply(PoolNode.Kind.GLOBAL_MAX, x, null, false);
    }

    /**
     * {@return the mean of each (h, w) plane: (N, C, H, W) to (N, C)}
     *
     * @param x the input
     */
    public static Var globalAvgPool2d(Var x) {
        return PoolNode.apply(PoolNode.Kind.GLOBAL_AVG, x, null, false);
    }

    /**
     * Inverted dropout with drop probability p, in training (the tape's flag) only. The masks are
     * those of a {@code Dropout} layer with the same seed: the c-th training run of the same tape
     * through this operation uses the layer's c-th mask.
     *
     * @param x the input, any shape
     * @param p the drop probability, in [0, 1)
     * @param seed the seed of the mask stream, as a {@code Dropout} layer's
     * @return the Var of the dropped and scaled input (the input itself in inference)
     */
    public static Var dropout(Var x, float p, long seed) {
        return DropoutNode.apply(x, p, seed);
    }

    /**
     * {@return a dense layer's product, x (N, in) · weightᵀ + bias, with the weight (out, in) as
     * the {@code Dense} layer stores it and the bias (out) or null} The weight's gradient is
     * computed transposed by the GEMM, as the layer does.
     *
     * @param x the input (N, in)
     * @param weight the weight (out, in)
     * @param bias the bias (out), or null for none
     */
    public static Var linear(Var x, Var weight, Var bias) {
        Var y = x.matmul(weight.transpose());
        return bias == null ? y : y.add(bias);
    }

    /**
     * {@return the Vars joined along an existing axis (shapes equal except along it)}
     *
     * @param axis the axis, in {@code [-rank, rank)}; negative axes count from the end
     * @param parts the Vars, at least one
     */
    public static Var concat(int axis, Var... parts) {
        return Concat.apply(axis, false, parts);
    }

    /**
     * {@return the Vars (of equal shapes) stacked along a new axis at {@code axis}}
     *
     * @param axis where the new axis goes, in {@code [-rank-1, rank]}
     * @param parts the Vars, at least one
     */
    public static Var stack(int axis, Var... parts) {
        return Concat.apply(axis, true, parts);
    }

    /**
     * {@return a Lanes layer as a node: its own forward (in the tape's training mode) and backward,
     * which adds into its parameters' gradients} A layer keeps the state of one forward, so it may
     * appear once per run; layers have no forward-mode rule (not on FORWARD tapes).
     *
     * @param layer the layer; it may appear once per run
     * @param x the layer's input, batch dimension first
     */
    public static Var layer(Layer layer, Var x) {
        return LayerNode.apply(layer, x);
    }
}
