package dev.lanes.layers;

import dev.lanes.kernels.Pool2d;
import dev.lanes.tensor.Tensor;

/**
 * 2-D max pooling over NCHW images: each output element is the largest input element of its
 * window. A window holding a NaN yields NaN; among equal maxima the first in window order wins
 * (its index is kept for backward). See {@link PoolWindow} for sizes, padding and ceil mode.
 * Runs in {@link Pool2d}.
 */
public final class MaxPool2d extends Pooling2d {
    private int[] argmax = new int[0];
    private boolean forwardDone;

    /**
     * A square window with stride equal to its size.
     *
     * @param size the side of the square window, {@code >= 1}; also the stride unless given
     */
    public MaxPool2d(int size) {
        this(PoolWindow.of(size));
    }

    /**
     * A square window with the given stride.
     *
     * @param size the side of the square window, {@code >= 1}; also the stride unless given
     * @param stride the stride along both axes, {@code >= 1}
     */
    public MaxPool2d(int size, int stride) {
        this(PoolWindow.of(size).stride(stride));
    }

    /**
     * The given window.
     *
     * @param window the window: size, stride, padding, dilation and rounding
     */
    public MaxPool2d(PoolWindow window) {
        super("MaxPool2d", window);
    }

    // y[n, c, p, q] = max over the window of x[n, c, ., .]; the argmax (index in the h x w plane)
    // is kept.
    @Override
    public Tensor forward(Tensor input, boolean training) {
        Tensor x = prepare(input);
        Tensor y = output.get(outShape);
        if (argmax.length != y.size()) {
            argmax = new int[y.size()];
        }
        Pool2d.maxForward(y.data(), 0, argmax, 0, x.data(), x.offset(), geometry, outShape.dim(0));
        forwardDone = true;
        return y;
    }

    // dL/dx[n, c, h, w] = Σ over the windows whose argmax is (h, w) of dL/dy[n, c, p, q]; 0 elsewhere
    @Override
    public Tensor backward(Tensor gradOutput) {
        Tensor dy = prepareGradient(gradOutput, forwardDone);
        Tensor dx = gradInput.get(inputShape);
        Pool2d.maxBackward(dx.data(), 0, dy.data(), dy.offset(), argmax, 0, geometry, inputShape.dim(0));
        return dx;
    }
}
