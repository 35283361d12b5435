package dev.lanes.gradcheck;

import static org.quicktheories.generators.Generate.booleans;
import static org.quicktheories.generators.Generate.longRange;
import static org.quicktheories.generators.Generate.range;

import dev.lanes.tensor.Shape;
import org.quicktheories.core.Gen;

/**
 * QuickTheories generators of valid shapes and layer configurations, built valid by
 * construction (no filtering), with small dimensions so that a failure shrinks to a case one can
 * read: batch 1 or 2, a few channels, images of a few pixels. Every size is drawn from a range
 * whose lower end is the simplest case (1, no padding, stride 1, one group), so shrinking heads
 * there.
 *
 * <pre>{@code
 * qt().withFixedSeed(7).withExamples(200).forAll(Gens.conv(), Gens.seeds()).checkAssert((c, seed) ->
 *         GradCheck.layer(myConv(c)).input(Values.kinkFree(c.inputShape(), seed)).seed(seed).check());
 * }</pre>
 *
 * <p>Values to feed the generated shapes come from {@link Values}, keyed by a seed from
 * {@link #seeds()}: values are not shrunk (shrinking them would walk them onto the kinks).
 */
public final class Gens {
    /** Output channels per group from which Lanes's convolution may use im2col + GEMM. */
    private static final int GEMM_MIN_CHANNELS = 8;
    /** Reductions (input channels per group x kernel area) up to this go direct. */
    private static final int GEMM_MIN_REDUCTION = 32;

    private Gens() {
    }

    /** Seeds for {@link Values} and for the checks; shrink toward 0. */
    public static Gen<Long> seeds() {
        return longRange(0, 1L << 40);
    }

    /** Batch sizes 1 to 3. */
    public static Gen<Integer> batchSizes() {
        return range(1, 3);
    }

    /** Channel counts 1 to 4. */
    public static Gen<Integer> channels() {
        return range(1, 4);
    }

    /** Training (true) or inference (false) mode. */
    public static Gen<Boolean> trainingModes() {
        return booleans();
    }

    /** Shapes of rank minRank to maxRank with each dimension 1 to maxDim. */
    public static Gen<Shape> shapes(int minRank, int maxRank, int maxDim) {
        return in -> {
            int rank = range(minRank, maxRank).generate(in);
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = range(1, maxDim).generate(in);
            }
            return Shape.of(dims);
        };
    }

    /** (batch, features) with batch 1 to 3 and features 1 to maxFeatures. */
    public static Gen<Shape> matrices(int maxFeatures) {
        return in -> Shape.of(batchSizes().generate(in), range(1, maxFeatures).generate(in));
    }

    /** NCHW image batches: batch 1 to 2, channels 1 to 3, height and width 1 to maxSide. */
    public static Gen<Shape> images(int maxSide) {
        return in -> Shape.of(range(1, 2).generate(in), range(1, 3).generate(in), range(1, maxSide).generate(in),
                range(1, maxSide).generate(in));
    }

    /** Dense layers: batch 1 to 3, 1 to 6 inputs, 1 to 5 outputs. */
    public static Gen<DenseConfig> dense() {
        return in -> new DenseConfig(batchSizes().generate(in), range(1, 6).generate(in), range(1, 5).generate(in));
    }

    /** Convolutions with symmetric padding; see {@link #conv(boolean)}. */
    public static Gen<ConvConfig> conv() {
        return conv(false);
    }

    /**
     * Convolutions: batch 1 to 2; 1 to 3 groups of 1 to 2 input and 1 to 2 output channels each
     * (depthwise included); kernels 1 to 3 per axis; stride 1 to 3; dilation 1 to 2; zero padding
     * up to the dilated kernel extent minus one (the same on both sides, or each side drawn
     * independently when {@code asymmetricPadding}); and an input just large enough for one to
     * four output rows and columns, sometimes with rows the last window does not reach.
     */
    public static Gen<ConvConfig> conv(boolean asymmetricPadding) {
        return in -> {
            int batch = range(1, 2).generate(in);
            int groups = range(1, 3).generate(in);
            int inChannels = groups * range(1, 2).generate(in);
            int outChannels = groups * range(1, 2).generate(in);
            int[] h = axis(in, asymmetricPadding, 1, 3, 3, 2);
            int[] w = axis(in, asymmetricPadding, 1, 3, 3, 2);
            return new ConvConfig(batch, inChannels, h[0], w[0], outChannels, h[1], w[1], h[2], w[2], h[3], h[4],
                    w[3], w[4], h[5], w[5], groups);
        };
    }

    /**
     * Convolutions with more channels per group: batch 1 to 2, 1 or 2 groups of
     * {@code minChannels} to {@code maxChannels} input and output channels each, square or
     * rectangular kernels of {@code minKernel} to 3, and the same strides, dilations, padding
     * and input sizes as {@link #conv(boolean)}. With at least 4 channels and 3x3 kernels the
     * reduction length (channels x kernel area) passes 32, but with fewer than 8 output channels
     * per group Lanes still runs the direct kernels: for its im2col + GEMM path see
     * {@link #gemmConv(boolean)}.
     */
    public static Gen<ConvConfig> conv(boolean asymmetricPadding, int minChannels, int maxChannels, int minKernel) {
        return in -> {
            int batch = range(1, 2).generate(in);
            int groups = range(1, 2).generate(in);
            int inChannels = groups * range(minChannels, maxChannels).generate(in);
            int outChannels = groups * range(minChannels, maxChannels).generate(in);
            int[] h = axis(in, asymmetricPadding, minKernel, 3, 2, 2);
            int[] w = axis(in, asymmetricPadding, minKernel, 3, 2, 2);
            return new ConvConfig(batch, inChannels, h[0], w[0], outChannels, h[1], w[1], h[2], w[2], h[3], h[4],
                    w[3], w[4], h[5], w[5], groups);
        };
    }

    /**
     * Convolutions that Lanes runs with im2col + GEMM rather than its direct kernels: that takes
     * at least 8 output channels per group and a reduction (input channels per group x kernel
     * area) longer than 32 ({@code dev.lanes.kernels.panama.conv.PanamaConv2d#usesDirect}). Batch
     * 1 to 2, 1 or 2 groups of 8 or 9 output channels, kernels 2 to 3 per axis, and per group
     * the fewest input channels whose reduction passes 32, or one more (6 or 7 for 2x3, 4 or 5
     * for 3x3, 9 or 10 for 2x2); strides 1 to 2, dilation 1 to 2, padding as in
     * {@link #conv(boolean)}, and 1 to 2 output rows and columns, so that a case stays small
     * enough for a gradient check (the large ones go to the random-direction mode).
     */
    public static Gen<ConvConfig> gemmConv(boolean asymmetricPadding) {
        return in -> {
            int batch = range(1, 2).generate(in);
            int groups = range(1, 2).generate(in);
            int outChannels = groups * range(GEMM_MIN_CHANNELS, GEMM_MIN_CHANNELS + 1).generate(in);
            int[] h = axis(in, asymmetricPadding, 2, 3, 2, 2, 2);
            int[] w = axis(in, asymmetricPadding, 2, 3, 2, 2, 2);
            int area = h[1] * w[1];
            int inChannels = groups * (GEMM_MIN_REDUCTION / area + 1 + range(0, 1).generate(in));
            return new ConvConfig(batch, inChannels, h[0], w[0], outChannels, h[1], w[1], h[2], w[2], h[3], h[4],
                    w[3], w[4], h[5], w[5], groups);
        };
    }

    /** One axis: {size, kernel, stride, padBefore, padAfter, dilation}; output 1 to 4 long. */
    private static int[] axis(org.quicktheories.core.RandomnessSource in, boolean asymmetric, int minKernel,
                              int maxKernel, int maxStride, int maxDilation) {
        return axis(in, asymmetric, minKernel, maxKernel, maxStride, maxDilation, maxStride == 3 ? 4 : 3);
    }

    /** One axis as above with 1 to {@code maxOutputs} outputs. */
    private static int[] axis(org.quicktheories.core.RandomnessSource in, boolean asymmetric, int minKernel,
                              int maxKernel, int maxStride, int maxDilation, int maxOutputs) {
        int kernel = range(minKernel, maxKernel).generate(in);
        int stride = range(1, maxStride).generate(in);
        int dilation = range(1, maxDilation).generate(in);
        int extent = dilation * (kernel - 1) + 1;
        int before = range(0, extent - 1).generate(in);
        int after = asymmetric ? range(0, extent - 1).generate(in) : before;
        int outputs = range(1, maxOutputs).generate(in);
        int leftover = range(0, stride - 1).generate(in);
        // Smallest input giving `outputs` windows, plus rows past the last window that it skips.
        int size = Math.max(1, (outputs - 1) * stride + extent - before - after + leftover);
        return new int[] {size, kernel, stride, before, after, dilation};
    }

    /**
     * Transposed convolutions: batch 1 to 2; 1 to 3 groups of 1 to 2 input and 1 to 2 output
     * channels each; kernels 1 to 3 per axis; stride 1 to 3; dilation 1 to 2; output padding
     * below the stride; inputs of 1 to 3 rows and columns; padding (cropped from the output) up to
     * the dilated kernel extent minus one, the same on both sides unless
     * {@code asymmetricPadding}, and never so much that the output is empty.
     */
    public static Gen<TransposedConvConfig> transposedConv(boolean asymmetricPadding) {
        return in -> {
            int batch = range(1, 2).generate(in);
            int groups = range(1, 3).generate(in);
            int inChannels = groups * range(1, 2).generate(in);
            int outChannels = groups * range(1, 2).generate(in);
            int[] h = transposedAxis(in, asymmetricPadding, 1, 3);
            int[] w = transposedAxis(in, asymmetricPadding, 1, 3);
            return new TransposedConvConfig(batch, inChannels, h[0], w[0], outChannels, h[1], w[1], h[2], w[2], h[3],
                    h[4], w[3], w[4], h[5], w[5], h[6], w[6], groups);
        };
    }

    /**
     * Transposed convolutions that Lanes runs on the im2col + GEMM path of the convolution whose
     * data gradient they are (see {@link #gemmConv(boolean)}): 1 or 2 groups of 8 or 9 input
     * channels, kernels 2 to 3 per axis, and per group the fewest output channels whose reduction
     * (output channels per group x kernel area) passes 32, or one more; inputs of 1 to 2 rows and
     * columns, the other sizes as in {@link #transposedConv(boolean)}.
     */
    public static Gen<TransposedConvConfig> gemmTransposedConv(boolean asymmetricPadding) {
        return in -> {
            int batch = range(1, 2).generate(in);
            int groups = range(1, 2).generate(in);
            int inChannels = groups * range(GEMM_MIN_CHANNELS, GEMM_MIN_CHANNELS + 1).generate(in);
            int[] h = transposedAxis(in, asymmetricPadding, 2, 2);
            int[] w = transposedAxis(in, asymmetricPadding, 2, 2);
            int area = h[1] * w[1];
            int outChannels = groups * (GEMM_MIN_REDUCTION / area + 1 + range(0, 1).generate(in));
            return new TransposedConvConfig(batch, inChannels, h[0], w[0], outChannels, h[1], w[1], h[2], w[2], h[3],
                    h[4], w[3], w[4], h[5], w[5], h[6], w[6], groups);
        };
    }

    /**
     * One axis of a transposed convolution: {size, kernel, stride, padBefore, padAfter,
     * outputPadding, dilation}, with the padding limited so that the output keeps a row.
     */
    private static int[] transposedAxis(org.quicktheories.core.RandomnessSource in, boolean asymmetric,
                                        int minKernel, int maxSize) {
        int kernel = range(minKernel, 3).generate(in);
        int stride = range(1, 3).generate(in);
        int dilation = range(1, 2).generate(in);
        int size = range(1, maxSize).generate(in);
        int outputPadding = range(0, stride - 1).generate(in);
        int extent = dilation * (kernel - 1) + 1;
        // The output (size-1)*stride + extent + outputPadding - before - after must stay >= 1.
        int budget = (size - 1) * stride + extent + outputPadding - 1;
        int before;
        int after;
        if (asymmetric) {
            before = range(0, Math.min(extent - 1, budget)).generate(in);
            after = range(0, Math.min(extent - 1, budget - before)).generate(in);
        } else {
            before = range(0, Math.min(extent - 1, budget / 2)).generate(in);
            after = before;
        }
        return new int[] {size, kernel, stride, before, after, outputPadding, dilation};
    }

    /** Upsampling: batch 1 to 2, channels 1 to 3, inputs 1 to 4 per axis, factors 1 to 3, nearest or bilinear. */
    public static Gen<UpsampleConfig> upsample() {
        return in -> new UpsampleConfig(range(1, 2).generate(in), range(1, 3).generate(in), range(1, 4).generate(in),
                range(1, 4).generate(in), range(1, 3).generate(in), range(1, 3).generate(in),
                booleans().generate(in));
    }

    /** Pooling with dilation allowed; see {@link #pool(boolean, boolean)}. */
    public static Gen<PoolConfig> pool() {
        return pool(true, false);
    }

    /**
     * Pooling: batch 1 to 2, channels 1 to 3, windows 1 to 3 per axis, stride 1 to 3, dilation 1
     * to 2 (when {@code dilation}), padding up to half the window as PyTorch allows (the same on
     * both sides unless {@code asymmetricPadding}), floor or ceil mode, inputs of 1 to 4 windows
     * plus leftover rows. A draw whose padding would leave a window with no input element (possible
     * with dilation on tiny inputs) falls back to no padding, which is always valid.
     */
    public static Gen<PoolConfig> pool(boolean dilation, boolean asymmetricPadding) {
        return in -> {
            int batch = range(1, 2).generate(in);
            int channels = range(1, 3).generate(in);
            boolean ceil = booleans().generate(in);
            int[] h = poolAxis(in, dilation, asymmetricPadding, ceil);
            int[] w = poolAxis(in, dilation, asymmetricPadding, ceil);
            return new PoolConfig(batch, channels, h[0], w[0], h[1], w[1], h[2], w[2], h[3], h[4], w[3], w[4], h[5],
                    w[5], ceil);
        };
    }

    private static int[] poolAxis(org.quicktheories.core.RandomnessSource in, boolean dilation, boolean asymmetric,
                                  boolean ceil) {
        int kernel = range(1, 3).generate(in);
        int stride = range(1, 3).generate(in);
        int d = dilation ? range(1, 2).generate(in) : 1;
        int extent = d * (kernel - 1) + 1;
        int before = range(0, kernel / 2).generate(in);
        int after = asymmetric ? range(0, kernel / 2).generate(in) : before;
        int outputs = range(1, 4).generate(in);
        int leftover = range(0, stride - 1).generate(in);
        int size = Math.max(1, (outputs - 1) * stride + extent - before - after + leftover);
        int out = PoolConfig.outputSize(size, before, after, kernel, d, stride, ceil);
        if (out < 1 || !PoolConfig.everyWindowSeesInput(out, size, before, kernel, d, stride)) {
            before = 0;
            after = 0;
            size = Math.max(size, extent);
        }
        return new int[] {size, kernel, stride, before, after, d};
    }
}
