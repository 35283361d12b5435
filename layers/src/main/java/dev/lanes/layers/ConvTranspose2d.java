package dev.lanes.layers;

import dev.lanes.kernels.ConvGeometry;
import dev.lanes.kernels.Elementwise;
import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;

/**
 * 2-D transposed convolution over NCHW images, as PyTorch's {@code nn.ConvTranspose2d}: the
 * gradient of a {@link Conv2d} with respect to its input, used as a layer that grows an image
 * (the decoder of a convolutional autoencoder).
 *
 * <p>Input (n, c, h, w), output (n, k, hOut, wOut) with {@code hOut = (h − 1)·strideH − padTop −
 * padBottom + dilationH·(r − 1) + outputPaddingH + 1} and wOut likewise: each input pixel adds
 * its kernel-sized patch of weights, scaled by its value, into the output at stride spacing; the
 * padding crops that many rows and columns from the full result, and the output padding adds rows
 * and columns at the bottom and right (they receive only the bias) so that the output size matches
 * a convolution whose floor division dropped them. Output padding must be smaller than the stride.
 * Weight <b>(c, k/groups, r, s)</b>, row-major, as PyTorch's; bias (k), optional.
 *
 * <p>This is exactly the data gradient of the convolution from (k, hOut, wOut) to (c, h, w) with
 * the same kernel, stride, padding, dilation and groups, so the three passes run on
 * {@link dev.lanes.kernels.Conv2d}: forward is its {@code backwardData}, the input gradient its
 * {@code forward}, and the weight gradient its {@code backwardWeights} with the roles of input and
 * output gradient swapped.
 *
 * <p>Initialisation: He normal, N(0, 2/fanIn) with fanIn = (c/groups)·r·s as for {@link Conv2d},
 * from the given seed; bias zero.
 */
public final class ConvTranspose2d implements Layer {
    private final int inChannels;
    private final int outChannels;
    private final int kernelHeight;
    private final int kernelWidth;
    private final int strideHeight;
    private final int strideWidth;
    private final int padTop;
    private final int padBottom;
    private final int padLeft;
    private final int padRight;
    private final int outputPaddingHeight;
    private final int outputPaddingWidth;
    private final int dilationHeight;
    private final int dilationWidth;
    private final int groups;
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

    private ConvTranspose2d(Builder b) {
        positive("inChannels", b.inChannels);
        positive("outChannels", b.outChannels);
        positive("kernelHeight", b.kernelHeight);
        positive("kernelWidth", b.kernelWidth);
        positive("strideHeight", b.strideHeight);
        positive("strideWidth", b.strideWidth);
        positive("dilationHeight", b.dilationHeight);
        positive("dilationWidth", b.dilationWidth);
        positive("groups", b.groups);
        if (b.padTop < 0 || b.padBottom < 0 || b.padLeft < 0 || b.padRight < 0) {
            throw new IllegalArgumentException("ConvTranspose2d: padding must be non-negative, got " + b.padTop
                    + ", " + b.padBottom + ", " + b.padLeft + ", " + b.padRight);
        }
        outputPadding("height", b.outputPaddingHeight, b.strideHeight);
        outputPadding("width", b.outputPaddingWidth, b.strideWidth);
        if (b.inChannels % b.groups != 0 || b.outChannels % b.groups != 0) {
            throw new IllegalArgumentException("ConvTranspose2d: groups " + b.groups + " must divide inChannels "
                    + b.inChannels + " and outChannels " + b.outChannels);
        }
        inChannels = b.inChannels;
        outChannels = b.outChannels;
        kernelHeight = b.kernelHeight;
        kernelWidth = b.kernelWidth;
        strideHeight = b.strideHeight;
        strideWidth = b.strideWidth;
        padTop = b.padTop;
        padBottom = b.padBottom;
        padLeft = b.padLeft;
        padRight = b.padRight;
        outputPaddingHeight = b.outputPaddingHeight;
        outputPaddingWidth = b.outputPaddingWidth;
        dilationHeight = b.dilationHeight;
        dilationWidth = b.dilationWidth;
        groups = b.groups;
        int fanIn = inChannels / groups * kernelHeight * kernelWidth;
        Shape weightShape = Shape.of(inChannels, outChannels / groups, kernelHeight, kernelWidth);
        weight = new Parameter("weight", Tensor.randn(weightShape, 0f, (float) Math.sqrt(2.0 / fanIn), b.seed), true);
        bias = b.bias ? new Parameter("bias", Tensor.zeros(outChannels), false) : null;
        name = describe();
    }

    /**
     * A transposed convolution with stride 1, no padding, dilation 1, one group and a bias.
     *
     * @param inChannels c, the input channels, {@code >= 1}
     * @param outChannels k, the output channels, {@code >= 1}
     * @param kernelSize the side of the square kernel, {@code >= 1}
     * @param seed the seed of the He-normal weights: the same seed gives the same weights
     */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, long seed) {
        this(builder(inChannels, outChannels, kernelSize).seed(seed));
    }

    /**
     * {@return a builder: stride 1, no padding or output padding, dilation 1, one group, bias, seed
     * 0 until set}
     *
     * @param inChannels c, the input channels, {@code >= 1}
     * @param outChannels k, the output channels, {@code >= 1}
     * @param kernelSize the side of the square kernel, {@code >= 1}
     */
    public static Builder builder(int inChannels, int outChannels, int kernelSize) {
        return new Builder(inChannels, outChannels, kernelSize);
    }

    /** The hyperparameters of a {@link ConvTranspose2d}; {@link #build()} checks them. */
    public static final class Builder {
        private final int inChannels;
        private final int outChannels;
        private int kernelHeight;
        private int kernelWidth;
        private int strideHeight = 1;
        private int strideWidth = 1;
        private int padTop;
        private int padBottom;
        private int padLeft;
        private int padRight;
        private int outputPaddingHeight;
        private int outputPaddingWidth;
        private int dilationHeight = 1;
        private int dilationWidth = 1;
        private int groups = 1;
        private boolean bias = true;
        private long seed;

        private Builder(int inChannels, int outChannels, int kernelSize) {
            this.inChannels = inChannels;
            this.outChannels = outChannels;
            this.kernelHeight = kernelSize;
            this.kernelWidth = kernelSize;
        }

        /**
         * An r x s kernel.
         *
         * @param height r, the kernel height, {@code >= 1}
         * @param width s, the kernel width, {@code >= 1}
         * @return this builder
         */
        public Builder kernel(int height, int width) {
            kernelHeight = height;
            kernelWidth = width;
            return this;
        }

        /**
         * The same stride along both axes.
         *
         * @param stride the stride along both axes, {@code >= 1}
         * @return this builder
         */
        public Builder stride(int stride) {
            return stride(stride, stride);
        }

        /**
         * The stride along height and width.
         *
         * @param height the vertical stride, {@code >= 1}
         * @param width the horizontal stride, {@code >= 1}
         * @return this builder
         */
        public Builder stride(int height, int width) {
            strideHeight = height;
            strideWidth = width;
            return this;
        }

        /**
         * The same padding (rows and columns cropped from the full output) on all four sides.
         *
         * @param all the rows and columns cropped from each of the four sides of the full output,
         *     {@code >= 0}
         * @return this builder
         */
        public Builder padding(int all) {
            return padding(all, all, all, all);
        }

        /**
         * The padding cropped from each side of the full output.
         *
         * @param top the rows cropped from the top of the full output, {@code >= 0}
         * @param bottom the rows cropped from the bottom of the full output, {@code >= 0}
         * @param left the columns cropped from the left of the full output, {@code >= 0}
         * @param right the columns cropped from the right of the full output, {@code >= 0}
         * @return this builder
         */
        public Builder padding(int top, int bottom, int left, int right) {
            padTop = top;
            padBottom = bottom;
            padLeft = left;
            padRight = right;
            return this;
        }

        /**
         * The same output padding along both axes.
         *
         * @param both the rows and the columns added, {@code >= 0} and below the stride
         * @return this builder
         */
        public Builder outputPadding(int both) {
            return outputPadding(both, both);
        }

        /**
         * Rows added at the bottom and columns at the right of the output; each below its stride.
         *
         * @param height the rows added at the bottom, {@code >= 0} and below the vertical stride
         * @param width the columns added at the right, {@code >= 0} and below the horizontal stride
         * @return this builder
         */
        public Builder outputPadding(int height, int width) {
            outputPaddingHeight = height;
            outputPaddingWidth = width;
            return this;
        }

        /**
         * The same dilation along both axes.
         *
         * @param dilation the dilation along both axes (1: adjacent elements), {@code >= 1}
         * @return this builder
         */
        public Builder dilation(int dilation) {
            return dilation(dilation, dilation);
        }

        /**
         * The dilation along height and width.
         *
         * @param height the vertical dilation (1: adjacent rows), {@code >= 1}
         * @param width the horizontal dilation (1: adjacent columns), {@code >= 1}
         * @return this builder
         */
        public Builder dilation(int height, int width) {
            dilationHeight = height;
            dilationWidth = width;
            return this;
        }

        /**
         * The number of channel groups.
         *
         * @param count the number of channel groups; it divides c and k
         * @return this builder
         */
        public Builder groups(int count) {
            groups = count;
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
        public ConvTranspose2d build() {
            return new ConvTranspose2d(this);
        }
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("ConvTranspose2d: " + what + " must be positive, got " + value);
        }
    }

    private static void outputPadding(String axis, int outputPadding, int stride) {
        if (outputPadding < 0 || outputPadding >= stride) {
            throw new IllegalArgumentException("ConvTranspose2d: output padding along " + axis + " must be from 0 "
                    + "to the stride minus one (" + (stride - 1) + "), got " + outputPadding);
        }
    }

    private String describe() {
        StringBuilder text = new StringBuilder("ConvTranspose2d(").append(inChannels).append(" -> ")
                .append(outChannels).append(", ").append(kernelHeight).append('x').append(kernelWidth);
        if (strideHeight != 1 || strideWidth != 1) {
            text.append(", stride ").append(pair(strideHeight, strideWidth));
        }
        if (padTop != 0 || padBottom != 0 || padLeft != 0 || padRight != 0) {
            boolean same = padTop == padBottom && padTop == padLeft && padTop == padRight;
            text.append(", pad ").append(same ? "" + padTop
                    : padTop + "," + padBottom + "," + padLeft + "," + padRight);
        }
        if (outputPaddingHeight != 0 || outputPaddingWidth != 0) {
            text.append(", output pad ").append(pair(outputPaddingHeight, outputPaddingWidth));
        }
        if (dilationHeight != 1 || dilationWidth != 1) {
            text.append(", dilation ").append(pair(dilationHeight, dilationWidth));
        }
        if (groups != 1) {
            text.append(", groups ").append(groups);
        }
        if (bias == null) {
            text.append(", no bias");
        }
        return text.append(')').toString();
    }

    private static String pair(int height, int width) {
        return height == width ? "" + height : height + "x" + width;
    }

    /** {@return the weight, (c, k/groups, r, s)} */
    public Parameter weight() {
        return weight;
    }

    /** {@return the bias, (k), or null} */
    public Parameter bias() {
        return bias;
    }

    /**
     * c, the input channels.
     *
     * @return c, the input channels
     */
    public int inChannels() {
        return inChannels;
    }

    /**
     * k, the output channels.
     *
     * @return k, the output channels
     */
    public int outChannels() {
        return outChannels;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape outputShape(Shape shape) {
        ConvGeometry geometry = geometry(shape);
        return Shape.of(shape.dim(0), outChannels, geometry.inHeight(), geometry.inWidth());
    }

    /**
     * The geometry of the convolution whose data gradient this layer computes: from the output
     * (k, hOut, wOut) to the input (c, h, w); or the layer's message when the input does not fit.
     */
    private ConvGeometry geometry(Shape shape) {
        String expected = "(N, " + inChannels + ", H, W)";
        if (shape.rank() != 4 || shape.dim(1) != inChannels) {
            throw Shapes.mismatch(name, "input", expected, shape);
        }
        long outHeight = (shape.dim(2) - 1L) * strideHeight - padTop - padBottom
                + (long) dilationHeight * (kernelHeight - 1) + outputPaddingHeight + 1;
        long outWidth = (shape.dim(3) - 1L) * strideWidth - padLeft - padRight
                + (long) dilationWidth * (kernelWidth - 1) + outputPaddingWidth + 1;
        if (outHeight < 1 || outWidth < 1 || outHeight > Integer.MAX_VALUE || outWidth > Integer.MAX_VALUE) {
            throw Shapes.mismatch(name, "input", expected + " whose output is at least 1x1 (it would be " + outHeight
                    + "x" + outWidth + ")", shape);
        }
        try {
            return ConvGeometry.builder().input(outChannels, (int) outHeight, (int) outWidth)
                    .outChannels(inChannels).kernel(kernelHeight, kernelWidth).stride(strideHeight, strideWidth)
                    .padding(padTop, padBottom, padLeft, padRight).dilation(dilationHeight, dilationWidth)
                    .groups(groups).build();
        } catch (IllegalArgumentException e) {
            throw Shapes.mismatch(name, "input", expected + " (" + e.getMessage() + ")", shape);
        }
    }

    // y[n, o, i, j] = b[o] + Σ_{c in group(o), h, w, r, s : i = h·sh − pt + r·dh, j = w·sw − pl + s·dw}
    //                 x[n, c, h, w] · W[c, o − group(o)·k/groups, r, s]
    @Override
    public Tensor forward(Tensor input, boolean training) {
        if (!input.shape().equals(inputShape)) {
            ConvGeometry geometry = geometry(input.shape());
            outShape = Shape.of(input.dim(0), outChannels, geometry.inHeight(), geometry.inWidth());
            if (kernel == null || !kernel.geometry().equals(geometry)) {
                kernel = new dev.lanes.kernels.Conv2d(geometry);
            }
            inputShape = input.shape();
        }
        Tensor x = inputCopy.contiguous(input);
        Tensor y = output.get(outShape);
        int n = outShape.dim(0);
        kernel.backwardData(y.data(), 0, x.data(), x.offset(), weight.value().data(), 0, n);
        if (bias != null) {
            Elementwise.addBiasChannels(y.data(), 0, bias.value().data(), 0, n, outChannels,
                    outShape.dim(2) * outShape.dim(3));
        }
        this.input = x;
        return y;
    }

    // dL/dx[n, c, h, w] = Σ_{o, r, s} W[c, o', r, s] · dL/dy[n, o, h·sh − pt + r·dh, w·sw − pl + s·dw]
    //                     (the convolution of dL/dy, zero outside the output);
    // dL/dW[c, o', r, s] += Σ_{n, h, w} x[n, c, h, w] · dL/dy[n, o, h·sh − pt + r·dh, w·sw − pl + s·dw];
    // dL/db[o] += Σ_{n, i, j} dL/dy[n, o, i, j]
    @Override
    public Tensor backward(Tensor gradOutput) {
        if (input == null) {
            throw new IllegalStateException(name + ": backward before forward");
        }
        Shapes.requireEqual(name, "gradOutput", gradOutput.shape(), outShape);
        Tensor dy = gradCopy.contiguous(gradOutput);
        Tensor dx = gradInput.get(inputShape);
        int n = inputShape.dim(0);
        kernel.forward(dx.data(), 0, dy.data(), dy.offset(), weight.value().data(), 0, null, 0, n, false);
        kernel.backwardWeights(weight.grad().data(), 0, null, 0, input.data(), input.offset(), dy.data(),
                dy.offset(), n, true);
        if (bias != null) {
            addChannelSums(bias.grad().data(), dy.data(), dy.offset(), n, outChannels,
                    outShape.dim(2) * outShape.dim(3));
        }
        return dx;
    }

    /** sums[o] += Σ_{n, i} data[offset + (n·channels + o)·spatial + i], in that order. */
    private static void addChannelSums(float[] sums, float[] data, int offset, int batch, int channels, int spatial) {
        // Per channel: the images' sums added in order, then added to sums once, so the result
        // does not depend on what sums held (two backward passes add exactly twice one).
        for (int o = 0; o < channels; o++) {
            float total = 0;
            for (int image = 0; image < batch; image++) {
                int start = offset + (image * channels + o) * spatial;
                float sum = 0;
                for (int i = 0; i < spatial; i++) {
                    sum += data[start + i];
                }
                total += sum;
            }
            sums[o] += total;
        }
    }

    @Override
    public List<Parameter> parameters() {
        return bias != null ? List.of(weight, bias) : List.of(weight);
    }
}
