package dev.lanes.layers;

import dev.lanes.kernels.Pool2d;

/**
 * Global average pooling: (n, c, h, w) to (n, c), the mean of each plane. The output drops the
 * spatial axes, as Keras' {@code GlobalAveragePooling2D}. Runs in {@link Pool2d}.
 */
public final class GlobalAvgPool2d extends GlobalPooling2d {
    /** A global average pooling layer. */
    public GlobalAvgPool2d() {
        super("GlobalAvgPool2d");
    }

    // y[n, c] = (1/(h·w)) · Σ_{h, w} x[n, c, h, w]
    @Override
    void forwardPlanes(float[] y, float[] x, int offsetX, int n, int c, int plane) {
        Pool2d.globalAvgForward(y, 0, x, offsetX, n, c, plane);
    }

    // dL/dx[n, c, h, w] = dL/dy[n, c] / (h·w)
    @Override
    void backwardPlanes(float[] dx, float[] dy, int offsetDy, int n, int c, int plane) {
        Pool2d.globalAvgBackward(dx, 0, dy, offsetDy, n, c, plane);
    }
}
