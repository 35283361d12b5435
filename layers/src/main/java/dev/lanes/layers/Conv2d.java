package dev.lanes.layers;

import dev.lanes.kernels.ConvGeometry;
import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;

/**
 * 2-D convolution (cross-correlation, as in every deep-learning library) over NCHW images.
 *
 * <p>Input (n, c, h, w), output (n, k, p, q) with {@code p = (h + padTop + padBottom −
 * dilationH·(r−1) − 1) / strideH + 1} (floor) and q likewise. Weight <b>(k, c/groups, r, s)</b>,
 * row-major, as PyTorch's {@code nn.Conv2d}; bias (k), optional. Groups split the channels:
 * output channel o sees input channels of group {@code o / (k/groups)}; {@code groups == c} is a
 * depthwise convolution.
 *
 * <p>Initialisation: He normal, N(0, 2/fanIn) with fanIn = (c/groups)·r·s, from the given seed;
 * bias zero. Overwrite {@code weight().value()} for another scheme.
 *
 * <p>All three passes run in {@link dev.lanes.kernels.Conv2d} (im2col + GEMM or a direct path),
 * which keeps its plan and workspaces; this layer builds one per input size (h, w) and keeps it
 * while the size stays, so steady-state steps allocate nothing here.
 */
public final class Conv2d implements Layer {
    /** The hyperparameters: the kernels' geometry for the smallest input, resized per input. */
    private final ConvGeometry template;
    private final Parameter weight;
    private final Parameter bias;
    private final String name;
    private final Workspace output = new Workspace();
    private final Workspace gradInput = new Workspace();
    private final Workspace inputCopy = new Workspace();
    private final Workspace gradCopy = new Workspace();
    private Shape inputShape;
    private Shape outShape;
    private dev.lanes.kernels.Conv2d kernel;
    private Tensor input;

    private Conv2d(Builder b) {
        try {
            template = b.geometry.template();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Conv2d: " + e.getMessage(), e);
        }
        ConvGeometry g = template;
        int fanIn = g.reductionLength();
        Shape weightShape = Shape.of(g.outChannels(), g.inChannelsPerGroup(), g.kernelHeight(), g.kernelWidth());
        weight = new Parameter("weight", Tensor.randn(weightShape, 0f, (float) Math.sqrt(2.0 / fanIn), b.seed), true);
        bias = b.bias ? new Parameter("bias", Tensor.zeros(g.outChannels()), false) : null;
        name = describe();
    }

    /**
     * A convolution with stride 1, no padding, dilation 1, one group and a bias.
     *
     * @param inChannels c, the input channels, {@code >= 1}
     * @param outChannels k, the output channels, {@code >= 1}
     * @param kernelSize the side of the square kernel, {@code >= 1}
     * @param seed the seed of the He-normal weights: the same seed gives the same weights
     */
    public Conv2d(int inChannels, int outChannels, int kernelSize, long seed) {
        this(builder(inChannels, outChannels, kernelSize).seed(seed));
    }

    /**
     * {@return a builder: stride 1, no padding, dilation 1, one group, bias, seed 0 until set}
     *
     * @param inChannels c, the input channels, {@code >= 1}
     * @param outChannels k, the output channels, {@code >= 1}
     * @param kernelSize the side of the square kernel, {@code >= 1}
     */
    public static Builder builder(int inChannels, int outChannels, int kernelSize) {
        return new Builder(inChannels, outChannels, kernelSize);
    }

    /**
     * The hyperparameters of a {@link Conv2d} (those of the kernels' {@link ConvGeometry}, which
     * checks them when the layer is built), its bias and its seed.
     */
    public static final class Builder {
        private final ConvGeometry.Builder geometry = ConvGeometry.builder();
        private boolean bias = true;
        private long seed;

        private Builder(int inChannels, int outChannels, int kernelSize) {
            geometry.inChannels(inChannels).outChannels(outChannels).kernel(kernelSize, kernelSize);
        }

        /**
         * An r x s kernel.
         *
         * @param height r, the kernel height, {@code >= 1}
         * @param width s, the kernel width, {@code >= 1}
         * @return this builder
         */
        public Builder kernel(int height, int width) {
            geometry.kernel(height, width);
            return this;
        }

        /**
         * The same stride along both axes.
         *
         * @param stride the stride along both axes, {@code >= 1}
         * @return this builder
         */
        public Builder stride(int stride) {
            geometry.stride(stride);
            return this;
        }

        /**
         * The stride along height and width.
         *
         * @param height the vertical stride, {@code >= 1}
         * @param width the horizontal stride, {@code >= 1}
         * @return this builder
         */
        public Builder stride(int height, int width) {
            geometry.stride(height, width);
            return this;
        }

        /**
         * The same zero padding on all four sides.
         *
         * @param all the padding on each of the four sides, {@code >= 0}
         * @return this builder
         */
        public Builder padding(int all) {
            geometry.padding(all);
            return this;
        }

        /**
         * Zero padding on each side.
         *
         * @param top the rows above the input, {@code >= 0}
         * @param bottom the rows below the input, {@code >= 0}
         * @param left the columns left of the input, {@code >= 0}
         * @param right the columns right of the input, {@code >= 0}
         * @return this builder
         */
        public Builder padding(int top, int bottom, int left, int right) {
            geometry.padding(top, bottom, left, right);
            return this;
        }

        /**
         * The same dilation along both axes.
         *
         * @param dilation the dilation along both axes (1: adjacent elements), {@code >= 1}
         * @return this builder
         */
        public Builder dilation(int dilation) {
            geometry.dilation(dilation);
            return this;
        }

        /**
         * The dilation along height and width.
         *
         * @param height the vertical dilation (1: adjacent rows), {@code >= 1}
         * @param width the horizontal dilation (1: adjacent columns), {@code >= 1}
         * @return this builder
         */
        public Builder dilation(int height, int width) {
            geometry.dilation(height, width);
            return this;
        }

        /**
         * The number of channel groups.
         *
         * @param count the number of channel groups; it divides c and k
         * @return this builder
         */
        public Builder groups(int count) {
            geometry.groups(count);
            return this;
        }

        /**
         * Whether the layer has a bias (default true).
         *
         * @param present true for a bias (the default), false for none
         * @return this builder
         */
        public Builder bias(boolean present) {
            bias = present;
            return this;
        }

        /**
         * The seed of the He-normal weights.
         *
         * @param value the seed: the same seed gives the same weights
         * @return this builder
         */
        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /**
         * The layer.
         *
         * @return the layer
         * @throws IllegalArgumentException naming a bad hyperparameter
         */
        public Conv2d build() {
            return new Conv2d(this);
        }
    }

    private String describe() {
        ConvGeometry g = template;
        StringBuilder text = new StringBuilder("Conv2d(").append(g.inChannels()).append(" -> ")
                .append(g.outChannels()).append(", ").append(g.kernelHeight()).append('x').append(g.kernelWidth());
        if (g.strideHeight() != 1 || g.strideWidth() != 1) {
            text.append(", stride ").append(g.strideHeight() == g.strideWidth() ? "" + g.strideHeight()
                    : g.strideHeight() + "x" + g.strideWidth());
        }
        if (g.padTop() != 0 || g.padBottom() != 0 || g.padLeft() != 0 || g.padRight() != 0) {
            boolean same = g.padTop() == g.padBottom() && g.padTop() == g.padLeft() && g.padTop() == g.padRight();
            text.append(", pad ").append(same ? "" + g.padTop()
                    : g.padTop() + "," + g.padBottom() + "," + g.padLeft() + "," + g.padRight());
        }
        if (g.dilationHeight() != 1 || g.dilationWidth() != 1) {
            text.append(", dilation ").append(g.dilationHeight() == g.dilationWidth() ? "" + g.dilationHeight()
                    : g.dilationHeight() + "x" + g.dilationWidth());
        }
        if (g.groups() != 1) {
            text.append(", groups ").append(g.groups());
        }
        if (bias == null) {
            text.append(", no bias");
        }
        return text.append(')').toString();
    }

    /** {@return the weight, (k, c/groups, r, s)} */
    public Parameter weight() {
        return weight;
    }

    /** {@return the bias, (k), or null} */
    public Parameter bias() {
        return bias;
    }

    /**
     * c.
     *
     * @return c, the input channels
     */
    public int inChannels() {
        return template.inChannels();
    }

    /**
     * k.
     *
     * @return k, the output channels
     */
    public int outChannels() {
        return template.outChannels();
    }

    /** {@return the number of channel groups} */
    public int groups() {
        return template.groups();
    }

    /**
     * {@return the hyperparameters, as the kernels' geometry of the smallest input the kernel fits}
     */
    public ConvGeometry template() {
        return template;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape outputShape(Shape shape) {
        ConvGeometry geometry = geometry(shape);
        return Shape.of(shape.dim(0), geometry.outChannels(), geometry.outHeight(), geometry.outWidth());
    }

    /** The kernel geometry for an input shape, or the layer's message when it does not fit. */
    private ConvGeometry geometry(Shape shape) {
        String expected = "(N, " + template.inChannels() + ", H, W)";
        if (shape.rank() != 4 || shape.dim(1) != template.inChannels()) {
            throw Shapes.mismatch(name, "input", expected, shape);
        }
        try {
            return template.withInput(shape.dim(2), shape.dim(3));
        } catch (IllegalArgumentException e) {
            throw Shapes.mismatch(name, "input", expected + " large enough for the kernel (" + e.getMessage() + ")",
                    shape);
        }
    }

    // out[n, o, p, q] = b[o] + Σ_{c in group(o), r, s} w[o, c, r, s] · x[n, c, p·sh − pt + r·dh, q·sw − pl + s·dw]
    @Override
    public Tensor forward(Tensor input, boolean training) {
        if (!input.shape().equals(inputShape)) {
            ConvGeometry geometry = geometry(input.shape());
            outShape = Shape.of(input.dim(0), geometry.outChannels(), geometry.outHeight(), geometry.outWidth());
            if (kernel == null || !kernel.geometry().equals(geometry)) {
                kernel = new dev.lanes.kernels.Conv2d(geometry);
            }
            inputShape = input.shape();
        }
        Tensor x = inputCopy.contiguous(input);
        Tensor y = output.get(outShape);
        kernel.forward(y.data(), 0, x.data(), x.offset(), weight.value().data(), 0,
                bias != null ? bias.value().data() : null, 0, outShape.dim(0), false);
        this.input = x;
        return y;
    }

    // dL/dx = the transposed convolution of dL/dy with w (each x element collects w·dy over the
    //         windows that contain it);
    // dL/dw[o, c, r, s] += Σ_{n, p, q} dL/dy[n, o, p, q] · x[n, c, p·sh − pt + r·dh, q·sw − pl + s·dw];
    // dL/db[o] += Σ_{n, p, q} dL/dy[n, o, p, q]
    @Override
    public Tensor backward(Tensor gradOutput) {
        if (input == null) {
            throw new IllegalStateException(name + ": backward before forward");
        }
        Shapes.requireEqual(name, "gradOutput", gradOutput.shape(), outShape);
        Tensor dy = gradCopy.contiguous(gradOutput);
        Tensor dx = gradInput.get(inputShape);
        int n = inputShape.dim(0);
        kernel.backwardData(dx.data(), 0, dy.data(), dy.offset(), weight.value().data(), 0, n);
        kernel.backwardWeights(weight.grad().data(), 0, bias != null ? bias.grad().data() : null, 0,
                dy.data(), dy.offset(), input.data(), input.offset(), n, true);
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        return bias != null ? List.of(weight, bias) : List.of(weight);
    }
}
