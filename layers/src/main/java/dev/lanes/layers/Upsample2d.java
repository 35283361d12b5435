package dev.lanes.layers;

import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * Upsampling of NCHW images by integer factors, as PyTorch's {@code nn.Upsample} with a
 * {@code scale_factor}: input (n, c, h, w), output (n, c, h·scaleH, w·scaleW), no parameters.
 *
 * <ul>
 *   <li>{@link #nearest}: each input pixel becomes a scaleH x scaleW block,
 *       {@code y[i, j] = x[i / scaleH, j / scaleW]}.
 *   <li>{@link #bilinear}: linear interpolation along each axis with half-pixel centres
 *       ({@code align_corners=False}): output row i samples the input at
 *       {@code max(0, (i + 0.5) / scaleH − 0.5)}, between rows floor of that and the next (the
 *       last row repeats at the edge), weighted by the distances.
 * </ul>
 *
 * <p>Both are separable and linear in the input: each output pixel is
 * {@code Σ a[i, u]·b[j, v]·x[u, v]} over at most two rows u and two columns v, with the axis
 * weights a and b built once per input size. Backward sends each output gradient back along the
 * same weights.
 */
public final class Upsample2d implements Layer {
    /** How the output pixels are filled in. */
    public enum Mode {
        /** Copy the nearest input pixel. */
        NEAREST,
        /** Interpolate linearly along height and width between the two nearest pixel centres. */
        BILINEAR
    }

    private final Mode mode;
    private final int scaleHeight;
    private final int scaleWidth;
    private final String name;
    private final Workspace output = new Workspace();
    private final Workspace gradInput = new Workspace();
    private final Workspace inputCopy = new Workspace();
    private final Workspace gradCopy = new Workspace();
    private Shape inputShape;
    private Shape outShape;
    private AxisWeights rows;
    private AxisWeights columns;

    private Upsample2d(Mode mode, int scaleHeight, int scaleWidth) {
        if (mode == null) {
            throw new IllegalArgumentException("Upsample2d: mode must not be null");
        }
        if (scaleHeight < 1 || scaleWidth < 1) {
            throw new IllegalArgumentException("Upsample2d: scale factors must be positive, got " + scaleHeight
                    + " x " + scaleWidth);
        }
        this.mode = mode;
        this.scaleHeight = scaleHeight;
        this.scaleWidth = scaleWidth;
        this.name = "Upsample2d(" + mode.name().toLowerCase(java.util.Locale.ROOT) + ", x"
                + (scaleHeight == scaleWidth ? "" + scaleHeight : scaleHeight + "x" + scaleWidth) + ")";
    }

    /**
     * Nearest-neighbour upsampling by {@code scale} along both axes.
     *
     * @param scale the integer factor along both axes, {@code >= 1}
     * @return the layer
     */
    public static Upsample2d nearest(int scale) {
        return new Upsample2d(Mode.NEAREST, scale, scale);
    }

    /**
     * Nearest-neighbour upsampling by the given factors.
     *
     * @param scaleHeight the integer factor along the height, {@code >= 1}
     * @param scaleWidth the integer factor along the width, {@code >= 1}
     * @return the layer
     */
    public static Upsample2d nearest(int scaleHeight, int scaleWidth) {
        return new Upsample2d(Mode.NEAREST, scaleHeight, scaleWidth);
    }

    /**
     * Bilinear upsampling (half-pixel centres) by {@code scale} along both axes.
     *
     * @param scale the integer factor along both axes, {@code >= 1}
     * @return the layer
     */
    public static Upsample2d bilinear(int scale) {
        return new Upsample2d(Mode.BILINEAR, scale, scale);
    }

    /**
     * Bilinear upsampling (half-pixel centres) by the given factors.
     *
     * @param scaleHeight the integer factor along the height, {@code >= 1}
     * @param scaleWidth the integer factor along the width, {@code >= 1}
     * @return the layer
     */
    public static Upsample2d bilinear(int scaleHeight, int scaleWidth) {
        return new Upsample2d(Mode.BILINEAR, scaleHeight, scaleWidth);
    }

    /** {@return the interpolation mode} */
    public Mode mode() {
        return mode;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape outputShape(Shape shape) {
        if (shape.rank() != 4) {
            throw Shapes.mismatch(name, "input", "(N, C, H, W)", shape);
        }
        long height = (long) shape.dim(2) * scaleHeight;
        long width = (long) shape.dim(3) * scaleWidth;
        if (height * width * shape.dim(1) * shape.dim(0) > Integer.MAX_VALUE - 64) {
            throw Shapes.mismatch(name, "input", "(N, C, H, W) whose output fits in an array", shape);
        }
        return Shape.of(shape.dim(0), shape.dim(1), (int) height, (int) width);
    }

    /**
     * The two source indices and their weights for each output index along one axis: output i
     * reads {@code weight0[i]·x[index0[i]] + (1 − weight0[i])·x[index1[i]]}.
     */
    private record AxisWeights(int[] index0, int[] index1, float[] weight0) {
        static AxisWeights of(Mode mode, int in, int scale) {
            int out = in * scale;
            int[] index0 = new int[out];
            int[] index1 = new int[out];
            float[] weight0 = new float[out];
            for (int i = 0; i < out; i++) {
                if (mode == Mode.NEAREST) {
                    index0[i] = i / scale;
                    index1[i] = index0[i];
                    weight0[i] = 1f;
                } else {
                    double source = Math.max(0.0, (i + 0.5) / scale - 0.5);
                    int low = Math.min((int) source, in - 1);
                    index0[i] = low;
                    index1[i] = Math.min(low + 1, in - 1);
                    weight0[i] = (float) (1.0 - (source - low));
                }
            }
            return new AxisWeights(index0, index1, weight0);
        }
    }

    // y[n, c, i, j] = Σ_{u, v} a[i, u]·b[j, v]·x[n, c, u, v], with a (rows) and b (columns) holding
    // two weights per output index; nearest: y[n, c, i, j] = x[n, c, i / scaleH, j / scaleW]
    @Override
    public Tensor forward(Tensor input, boolean training) {
        if (!input.shape().equals(inputShape)) {
            outShape = outputShape(input.shape());
            rows = AxisWeights.of(mode, input.dim(2), scaleHeight);
            columns = AxisWeights.of(mode, input.dim(3), scaleWidth);
            inputShape = input.shape();
        }
        Tensor x = inputCopy.contiguous(input);
        Tensor y = output.get(outShape);
        int planes = inputShape.dim(0) * inputShape.dim(1);
        for (int plane = 0; plane < planes; plane++) {
            int planeIn = x.offset() + plane * inputShape.dim(2) * inputShape.dim(3);
            int planeOut = plane * outShape.dim(2) * outShape.dim(3);
            if (mode == Mode.NEAREST) {
                nearestPlane(y.data(), planeOut, x.data(), planeIn);
            } else {
                bilinearPlane(y.data(), planeOut, x.data(), planeIn);
            }
        }
        return y;
    }

    private void nearestPlane(float[] out, int planeOut, float[] in, int planeIn) {
        int width = inputShape.dim(3);
        int outWidth = outShape.dim(3);
        for (int i = 0; i < outShape.dim(2); i++) {
            int row = planeIn + rows.index0[i] * width;
            int rowOut = planeOut + i * outWidth;
            for (int j = 0; j < outWidth; j++) {
                out[rowOut + j] = in[row + columns.index0[j]];
            }
        }
    }

    private void bilinearPlane(float[] out, int planeOut, float[] in, int planeIn) {
        int width = inputShape.dim(3);
        int outWidth = outShape.dim(3);
        for (int i = 0; i < outShape.dim(2); i++) {
            int row0 = planeIn + rows.index0[i] * width;
            int row1 = planeIn + rows.index1[i] * width;
            float a0 = rows.weight0[i];
            float a1 = 1f - a0;
            int rowOut = planeOut + i * outWidth;
            for (int j = 0; j < outWidth; j++) {
                int u = columns.index0[j];
                int v = columns.index1[j];
                float b0 = columns.weight0[j];
                float b1 = 1f - b0;
                out[rowOut + j] = a0 * (b0 * in[row0 + u] + b1 * in[row0 + v])
                        + a1 * (b0 * in[row1 + u] + b1 * in[row1 + v]);
            }
        }
    }

    // dL/dx[n, c, u, v] = Σ_{i, j} a[i, u]·b[j, v]·dL/dy[n, c, i, j]; nearest: the sum of dL/dy over
    // the block of (u, v)
    @Override
    public Tensor backward(Tensor gradOutput) {
        if (inputShape == null) {
            throw new IllegalStateException(name + ": backward before forward");
        }
        Shapes.requireEqual(name, "gradOutput", gradOutput.shape(), outShape);
        Tensor dy = gradCopy.contiguous(gradOutput);
        Tensor dx = gradInput.get(inputShape);
        java.util.Arrays.fill(dx.data(), 0f);
        int planes = inputShape.dim(0) * inputShape.dim(1);
        for (int plane = 0; plane < planes; plane++) {
            int planeIn = plane * inputShape.dim(2) * inputShape.dim(3);
            int planeOut = dy.offset() + plane * outShape.dim(2) * outShape.dim(3);
            if (mode == Mode.NEAREST) {
                nearestPlaneBackward(dx.data(), planeIn, dy.data(), planeOut);
            } else {
                bilinearPlaneBackward(dx.data(), planeIn, dy.data(), planeOut);
            }
        }
        return dx;
    }

    private void nearestPlaneBackward(float[] gradIn, int planeIn, float[] gradOut, int planeOut) {
        int width = inputShape.dim(3);
        int outWidth = outShape.dim(3);
        for (int i = 0; i < outShape.dim(2); i++) {
            int row = planeIn + rows.index0[i] * width;
            int rowOut = planeOut + i * outWidth;
            for (int j = 0; j < outWidth; j++) {
                gradIn[row + columns.index0[j]] += gradOut[rowOut + j];
            }
        }
    }

    private void bilinearPlaneBackward(float[] gradIn, int planeIn, float[] gradOut, int planeOut) {
        int width = inputShape.dim(3);
        int outWidth = outShape.dim(3);
        for (int i = 0; i < outShape.dim(2); i++) {
            int row0 = planeIn + rows.index0[i] * width;
            int row1 = planeIn + rows.index1[i] * width;
            float a0 = rows.weight0[i];
            float a1 = 1f - a0;
            int rowOut = planeOut + i * outWidth;
            for (int j = 0; j < outWidth; j++) {
                int u = columns.index0[j];
                int v = columns.index1[j];
                float b0 = columns.weight0[j];
                float b1 = 1f - b0;
                float g = gradOut[rowOut + j];
                gradIn[row0 + u] += a0 * b0 * g;
                gradIn[row0 + v] += a0 * b1 * g;
                gradIn[row1 + u] += a1 * b0 * g;
                gradIn[row1 + v] += a1 * b1 * g;
            }
        }
    }
}
