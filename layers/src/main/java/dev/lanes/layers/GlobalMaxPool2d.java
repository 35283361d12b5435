package dev.lanes.layers;

import dev.lanes.kernels.Pool2d;

/**
 * Global max pooling: (n, c, h, w) to (n, c), the largest element of each plane (NaN if the plane
 * holds one; the first among equal maxima is the one that gets the gradient). The output drops the
 * spatial axes, as Keras' {@code GlobalMaxPooling2D}, ready for a {@link Dense} layer. Runs in
 * {@link Pool2d}.
 */
public final class GlobalMaxPool2d extends GlobalPooling2d {
    private int[] argmax = new int[0];

    /** A global max pooling layer. */
    public GlobalMaxPool2d() {
        super("GlobalMaxPool2d");
    }

    // y[n, c] = max_{h, w} x[n, c, h, w]; the argmax is kept
    @Override
    void forwardPlanes(float[] y, float[] x, int offsetX, int n, int c, int plane) {
        if (argmax.length != n * c) {
            argmax = new int[n * c];
        }
        Pool2d.globalMaxForward(y, 0, argmax, 0, x, offsetX, n, c, plane);
    }

    // dL/dx[n, c, h, w] = dL/dy[n, c] at the argmax of the plane, 0 elsewhere
    @Override
    void backwardPlanes(float[] dx, float[] dy, int offsetDy, int n, int c, int plane) {
        Pool2d.globalMaxBackward(dx, 0, dy, offsetDy, argmax, 0, n, c, plane);
    }
}
