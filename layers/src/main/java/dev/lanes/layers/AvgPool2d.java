package dev.lanes.layers;

import dev.lanes.kernels.Pool2d;
import dev.lanes.tensor.Tensor;

/**
 * 2-D average pooling over NCHW images: each output element is the sum of its window's input
 * elements divided by the window's count, which is the number of its positions inside the padded
 * input with count-include-pad (PyTorch's default), else the number inside the input. See
 * {@link PoolWindow} for sizes, padding and ceil mode. Runs in {@link Pool2d}.
 */
public final class AvgPool2d extends Pooling2d {
    private final boolean countIncludePad;
    private boolean forwardDone;

    /**
     * A square window with stride equal to its size, count-include-pad.
     *
     * @param size the side of the square window, {@code >= 1}; also the stride unless given
     */
    public AvgPool2d(int size) {
        this(PoolWindow.of(size), true);
    }

    /**
     * A square window with the given stride, count-include-pad.
     *
     * @param size the side of the square window, {@code >= 1}; also the stride unless given
     * @param stride the stride along both axes, {@code >= 1}
     */
    public AvgPool2d(int size, int stride) {
        this(PoolWindow.of(size).stride(stride), true);
    }

    /**
     * The given window; {@code countIncludePad} says whether padded positions count in the divisor.
     *
     * @param window the window: size, stride, padding, dilation and rounding
     * @param countIncludePad true to divide by the whole window, padding included; false to divide
     *     by the input elements in it
     */
    public AvgPool2d(PoolWindow window, boolean countIncludePad) {
        super(countIncludePad ? "AvgPool2d" : "AvgPool2d[exclude pad]", window);
        this.countIncludePad = countIncludePad;
    }

    /** {@return whether padded positions count in the divisor} */
    public boolean countIncludePad() {
        return countIncludePad;
    }

    // y[n, c, p, q] = (1/count(p, q)) · Σ over the window's input positions of x[n, c, ., .]
    @Override
    public Tensor forward(Tensor input, boolean training) {
        Tensor x = prepare(input);
        Tensor y = output.get(outShape);
        Pool2d.avgForward(y.data(), 0, x.data(), x.offset(), geometry, outShape.dim(0), countIncludePad);
        forwardDone = true;
        return y;
    }

    // dL/dx[n, c, h, w] = Σ over the windows containing (h, w) of dL/dy[n, c, p, q] / count(p, q)
    @Override
    public Tensor backward(Tensor gradOutput) {
        Tensor dy = prepareGradient(gradOutput, forwardDone);
        Tensor dx = gradInput.get(inputShape);
        Pool2d.avgBackward(dx.data(), 0, dy.data(), dy.offset(), geometry, inputShape.dim(0), countIncludePad);
        return dx;
    }
}
