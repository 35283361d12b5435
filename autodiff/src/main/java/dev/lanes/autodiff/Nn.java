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
    private Nn() {
    }

    /**
     * 2-D convolution (cross-correlation, as the {@code Conv2d} layer): x (N, C, H, W), weight
     * (K, C/groups, R, S), bias (K) or null, output (N, K, P, Q).
     *
     * @throws IllegalArgumentException naming the shapes when they do not fit the spec
     */
    public static Var conv2d(Var x, Var weight, Var bias, ConvSpec spec) {
        return Conv2dNode.apply(x, weight, bias, spec);
    }

    /** Max pooling over size x size windows with stride size. */
    public static Var maxPool2d(Var x, int size) {
        return maxPool2d(x, PoolWindow.of(size));
    }

    /** Max pooling (x (N, C, H, W)); the gradient goes to the first maximal element of each window. */
    public static Var maxPool2d(Var x, PoolWindow window) {
        return PoolNode.apply(PoolNode.Kind.MAX, x, window, false);
    }

    /** Average pooling; {@code countIncludePad} says whether padded positions count in the divisor. */
    public static Var avgPool2d(Var x, PoolWindow window, boolean countIncludePad) {
        return PoolNode.apply(PoolNode.Kind.AVG, x, window, countIncludePad);
    }

    /** The maximum of each (h, w) plane: (N, C, H, W) to (N, C). */
    public static Var globalMaxPool2d(Var x) {
        return PoolNode.apply(PoolNode.Kind.GLOBAL_MAX, x, null, false);
    }

    /** The mean of each (h, w) plane: (N, C, H, W) to (N, C). */
    public static Var globalAvgPool2d(Var x) {
        return PoolNode.apply(PoolNode.Kind.GLOBAL_AVG, x, null, false);
    }

    /**
     * Inverted dropout with drop probability p, in training (the tape's flag) only. The masks are
     * those of a {@code Dropout} layer with the same seed: the c-th training run of the same tape
     * through this operation uses the layer's c-th mask.
     */
    public static Var dropout(Var x, float p, long seed) {
        return DropoutNode.apply(x, p, seed);
    }

    /**
     * A dense layer's product, x (N, in) · weightᵀ + bias, with the weight (out, in) as the
     * {@code Dense} layer stores it and the bias (out) or null. The weight's gradient is computed
     * transposed by the GEMM, as the layer does.
     */
    public static Var linear(Var x, Var weight, Var bias) {
        Var y = x.matmul(weight.transpose());
        return bias == null ? y : y.add(bias);
    }

    /** The Vars joined along an existing axis (shapes equal except along it). */
    public static Var concat(int axis, Var... parts) {
        return Concat.apply(axis, false, parts);
    }

    /** The Vars (of equal shapes) stacked along a new axis at {@code axis}. */
    public static Var stack(int axis, Var... parts) {
        return Concat.apply(axis, true, parts);
    }

    /**
     * A Lanes layer as a node: its own forward (in the tape's training mode) and backward, which
     * adds into its parameters' gradients. A layer keeps the state of one forward, so it may
     * appear once per run; layers have no forward-mode rule (not on FORWARD tapes).
     */
    public static Var layer(Layer layer, Var x) {
        return LayerNode.apply(layer, x);
    }
}
