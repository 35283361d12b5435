package dev.lanes.kernels;

import dev.lanes.kernels.spi.Pool2dKernel;

/**
 * 2-D max and average pooling over NCHW float32 images, their gradients, and global pooling.
 *
 * <p>Max pooling: a window holding a NaN yields NaN and the index of its first NaN; otherwise the
 * largest element, +0 above -0, the first in window order (r, then s) among equal ones. Padding
 * never wins. The argmax is the index {@code h*W + w} of the element in its (H, W) plane, exact.
 * Average pooling divides the sum of the window's input elements by the count of its positions
 * inside the padded input ({@code countIncludePad}) or inside the input.
 *
 * <p>Arguments are checked before anything is written; a bad one throws
 * {@link IllegalArgumentException} naming it and the sizes. Each call runs on the
 * {@link Parallel} threads, planes split among them, so the bits do not depend on the thread
 * count. Backward passes overwrite the input gradient.
 */
public final class Pool2d {
    private static final Pool2dKernel IMPL = KernelProvider.KERNELS.pool2d();

    private Pool2d() {
    }

    /** {@return the implementation in use: its simple class name} */
    public static String implementation() {
        return IMPL.getClass().getSimpleName();
    }

    /**
     * out (N, C, P, Q) = the max of each window of in (N, C, H, W); argmax (N, C, P, Q) its index in the plane.
     *
     * @param out the output (N, C, P, Q), row-major
     * @param offOut the index in {@code out} of its first element
     * @param argmax the index of each window's maximum within its (H, W) plane
     * @param offArgmax the index in {@code argmax} of its first element
     * @param in the input (N, C, H, W), row-major
     * @param offIn the index in {@code in} of its first element
     * @param g the pooling geometry
     * @param batch N, the number of images, {@code >= 0}
     */
    public static void maxForward(float[] out, int offOut, int[] argmax, int offArgmax, float[] in, int offIn,
                                  PoolGeometry g, int batch) {
        checkGeometry(g, batch);
        Check.images("out", out, offOut, batch, g.outputSize());
        Check.indexes("argmax", argmax, offArgmax, (long) batch * g.outputSize());
        Check.images("in", in, offIn, batch, g.inputSize());
        Check.disjoint("out", out, offOut, (long) batch * g.outputSize(), "in", in, offIn, (long) batch * g.inputSize());
        if (batch > 0) {
            IMPL.maxForward(out, offOut, argmax, offArgmax, in, offIn, g, batch);
        }
    }

    /**
     * gradIn (N, C, H, W) = gradOut (N, C, P, Q) added at the argmax of each window; elsewhere 0.
     *
     * @param gradIn dL/d(input) (N, C, H, W), overwritten
     * @param offGradIn the index in {@code gradIn} of its first element
     * @param gradOut dL/d(output) (N, C, P, Q)
     * @param offGradOut the index in {@code gradOut} of its first element
     * @param argmax the forward pass's argmax (N, C, P, Q)
     * @param offArgmax the index in {@code argmax} of its first element
     * @param g the pooling geometry
     * @param batch N, the number of images, {@code >= 0}
     */
    public static void maxBackward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, int[] argmax,
                                   int offArgmax, PoolGeometry g, int batch) {
        checkGeometry(g, batch);
        Check.images("gradIn", gradIn, offGradIn, batch, g.inputSize());
        Check.images("gradOut", gradOut, offGradOut, batch, g.outputSize());
        Check.indexes("argmax", argmax, offArgmax, (long) batch * g.outputSize());
        Check.indexesBelow("argmax", argmax, offArgmax, batch * g.outputSize(), g.inHeight() * g.inWidth());
        Check.disjoint("gradIn", gradIn, offGradIn, (long) batch * g.inputSize(), "gradOut", gradOut, offGradOut,
                (long) batch * g.outputSize());
        if (batch > 0) {
            IMPL.maxBackward(gradIn, offGradIn, gradOut, offGradOut, argmax, offArgmax, g, batch);
        }
    }

    /**
     * out (N, C, P, Q) = the average of each window of in (N, C, H, W).
     *
     * @param out the output (N, C, P, Q), row-major
     * @param offOut the index in {@code out} of its first element
     * @param in the input (N, C, H, W), row-major
     * @param offIn the index in {@code in} of its first element
     * @param g the pooling geometry
     * @param batch N, the number of images, {@code >= 0}
     * @param countIncludePad true to divide by the whole window, padding included; false by the
     *     input elements in it
     */
    public static void avgForward(float[] out, int offOut, float[] in, int offIn, PoolGeometry g, int batch,
                                  boolean countIncludePad) {
        checkGeometry(g, batch);
        Check.images("out", out, offOut, batch, g.outputSize());
        Check.images("in", in, offIn, batch, g.inputSize());
        Check.disjoint("out", out, offOut, (long) batch * g.outputSize(), "in", in, offIn, (long) batch * g.inputSize());
        if (batch > 0) {
            IMPL.avgForward(out, offOut, in, offIn, g, batch, countIncludePad);
        }
    }

    /**
     * gradIn (N, C, H, W) = each gradOut (N, C, P, Q) element divided by its window's count, spread over the window.
     *
     * @param gradIn dL/d(input) (N, C, H, W), overwritten
     * @param offGradIn the index in {@code gradIn} of its first element
     * @param gradOut dL/d(output) (N, C, P, Q)
     * @param offGradOut the index in {@code gradOut} of its first element
     * @param g the pooling geometry
     * @param batch N, the number of images, {@code >= 0}
     * @param countIncludePad true to divide by the whole window, padding included; false by the
     *     input elements in it
     */
    public static void avgBackward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, PoolGeometry g,
                                   int batch, boolean countIncludePad) {
        checkGeometry(g, batch);
        Check.images("gradIn", gradIn, offGradIn, batch, g.inputSize());
        Check.images("gradOut", gradOut, offGradOut, batch, g.outputSize());
        Check.disjoint("gradIn", gradIn, offGradIn, (long) batch * g.inputSize(), "gradOut", gradOut, offGradOut,
                (long) batch * g.outputSize());
        if (batch > 0) {
            IMPL.avgBackward(gradIn, offGradIn, gradOut, offGradOut, g, batch, countIncludePad);
        }
    }

    /**
     * out (N, C) = the max of each (H, W) plane of in (N, C, H, W), {@code plane = H*W}; argmax (N, C) its index.
     *
     * @param out the output (N, C)
     * @param offOut the index in {@code out} of its first element
     * @param argmax the index of each plane's maximum (N, C)
     * @param offArgmax the index in {@code argmax} of its first element
     * @param in the input (N, C, H, W), row-major
     * @param offIn the index in {@code in} of its first element
     * @param batch N, the number of images, {@code >= 0}
     * @param channels C, the number of channels
     * @param plane H*W, the elements of one plane
     */
    public static void globalMaxForward(float[] out, int offOut, int[] argmax, int offArgmax, float[] in, int offIn,
                                        int batch, int channels, int plane) {
        int planes = checkGlobal(batch, channels, plane);
        Check.images("out", out, offOut, planes, 1);
        Check.indexes("argmax", argmax, offArgmax, planes);
        Check.images("in", in, offIn, planes, plane);
        Check.disjoint("out", out, offOut, planes, "in", in, offIn, (long) planes * plane);
        if (planes > 0) {
            IMPL.globalMaxForward(out, offOut, argmax, offArgmax, in, offIn, planes, plane);
        }
    }

    /**
     * gradIn (N, C, H, W) = gradOut (N, C) at each plane's argmax, 0 elsewhere.
     *
     * @param gradIn dL/d(input) (N, C, H, W), overwritten
     * @param offGradIn the index in {@code gradIn} of its first element
     * @param gradOut dL/d(output) (N, C)
     * @param offGradOut the index in {@code gradOut} of its first element
     * @param argmax the forward pass's argmax (N, C)
     * @param offArgmax the index in {@code argmax} of its first element
     * @param batch N, the number of images, {@code >= 0}
     * @param channels C, the number of channels
     * @param plane H*W, the elements of one plane
     */
    public static void globalMaxBackward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, int[] argmax,
                                         int offArgmax, int batch, int channels, int plane) {
        int planes = checkGlobal(batch, channels, plane);
        Check.images("gradIn", gradIn, offGradIn, planes, plane);
        Check.images("gradOut", gradOut, offGradOut, planes, 1);
        Check.indexes("argmax", argmax, offArgmax, planes);
        Check.indexesBelow("argmax", argmax, offArgmax, planes, plane);
        Check.disjoint("gradIn", gradIn, offGradIn, (long) planes * plane, "gradOut", gradOut, offGradOut, planes);
        if (planes > 0) {
            IMPL.globalMaxBackward(gradIn, offGradIn, gradOut, offGradOut, argmax, offArgmax, planes, plane);
        }
    }

    /**
     * out (N, C) = the mean of each (H, W) plane of in (N, C, H, W).
     *
     * @param out the output (N, C)
     * @param offOut the index in {@code out} of its first element
     * @param in the input (N, C, H, W), row-major
     * @param offIn the index in {@code in} of its first element
     * @param batch N, the number of images, {@code >= 0}
     * @param channels C, the number of channels
     * @param plane H*W, the elements of one plane
     */
    public static void globalAvgForward(float[] out, int offOut, float[] in, int offIn, int batch, int channels,
                                        int plane) {
        int planes = checkGlobal(batch, channels, plane);
        Check.images("out", out, offOut, planes, 1);
        Check.images("in", in, offIn, planes, plane);
        Check.disjoint("out", out, offOut, planes, "in", in, offIn, (long) planes * plane);
        if (planes > 0) {
            IMPL.globalAvgForward(out, offOut, in, offIn, planes, plane);
        }
    }

    /**
     * gradIn (N, C, H, W) = gradOut (N, C) / plane everywhere in the plane.
     *
     * @param gradIn dL/d(input) (N, C, H, W), overwritten
     * @param offGradIn the index in {@code gradIn} of its first element
     * @param gradOut dL/d(output) (N, C)
     * @param offGradOut the index in {@code gradOut} of its first element
     * @param batch N, the number of images, {@code >= 0}
     * @param channels C, the number of channels
     * @param plane H*W, the elements of one plane
     */
    public static void globalAvgBackward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, int batch,
                                         int channels, int plane) {
        int planes = checkGlobal(batch, channels, plane);
        Check.images("gradIn", gradIn, offGradIn, planes, plane);
        Check.images("gradOut", gradOut, offGradOut, planes, 1);
        Check.disjoint("gradIn", gradIn, offGradIn, (long) planes * plane, "gradOut", gradOut, offGradOut, planes);
        if (planes > 0) {
            IMPL.globalAvgBackward(gradIn, offGradIn, gradOut, offGradOut, planes, plane);
        }
    }

    private static void checkGeometry(PoolGeometry g, int batch) {
        Check.notNull("geometry", g);
        Check.nonNegative("batch", batch);
    }

    private static int checkGlobal(int batch, int channels, int plane) {
        Check.nonNegative("batch", batch);
        Check.positive("channels", channels);
        Check.positive("plane", plane);
        long planes = (long) batch * channels;
        if (planes * plane > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batch " + batch + " x channels " + channels + " x plane " + plane
                    + " is more than an array can hold");
        }
        return (int) planes;
    }
}
