package dev.lanes.kernels.spi;

import dev.lanes.kernels.PoolGeometry;

/**
 * 2-D max and average pooling over NCHW images, and global pooling. Arguments arrive validated by
 * {@link dev.lanes.kernels.Pool2d}: arrays long enough, argmax indexes inside their planes.
 * Results do not depend on the thread count.
 */
public interface Pool2dKernel {
    /**
     * out (N, C, P, Q) = the max of each window of in (N, C, H, W); argmax (N, C, P, Q) = the index
     * {@code h*W + w} of that element in its plane: NaN wins (the first NaN), ties go to the first
     * element in window order (r, then s), +0 beats -0, positions outside the input never win.
     */
    void maxForward(float[] out, int offOut, int[] argmax, int offArgmax, float[] in, int offIn,
                    PoolGeometry g, int batch);

    /** gradIn (N, C, H, W) = 0, then gradIn[plane][argmax[i]] += gradOut[i] in output order. */
    void maxBackward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, int[] argmax, int offArgmax,
                     PoolGeometry g, int batch);

    /**
     * out (N, C, P, Q) = (sum of the window's input elements, in window order) / count, where count
     * is the number of window positions inside the padded input when countIncludePad, else inside
     * the input.
     */
    void avgForward(float[] out, int offOut, float[] in, int offIn, PoolGeometry g, int batch, boolean countIncludePad);

    /**
     * gradIn (N, C, H, W) = 0, then for every output (p, q) in order and every window position
     * inside the input: gradIn += gradOut[p][q] / count.
     */
    void avgBackward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, PoolGeometry g, int batch,
                     boolean countIncludePad);

    /** out (N*C) = the max of each plane of {@code plane} floats; argmax its index, as {@link #maxForward}. */
    void globalMaxForward(float[] out, int offOut, int[] argmax, int offArgmax, float[] in, int offIn, int planes,
                          int plane);

    /** gradIn (N*C planes) = 0 except gradIn[plane][argmax] = gradOut[plane]. */
    void globalMaxBackward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, int[] argmax,
                           int offArgmax, int planes, int plane);

    /** out (N*C) = the mean of each plane. */
    void globalAvgForward(float[] out, int offOut, float[] in, int offIn, int planes, int plane);

    /** gradIn (N*C planes) = gradOut[plane] / plane, everywhere in the plane. */
    void globalAvgBackward(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut, int planes, int plane);
}
