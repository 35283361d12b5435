package dev.lanes.gradcheck.layers;

import static org.quicktheories.generators.Generate.booleans;

import dev.lanes.autodiff.ConvSpec;
import dev.lanes.autodiff.Function;
import dev.lanes.autodiff.Nn;
import dev.lanes.autodiff.Tape;
import dev.lanes.autodiff.Var;
import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.TransposedConvConfig;
import dev.lanes.gradcheck.UpsampleConfig;
import dev.lanes.gradcheck.Values;
import dev.lanes.layers.ConvTranspose2d;
import dev.lanes.layers.Upsample2d;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The two layers that no single operation computes, against twins written with operations.
 * Bilinear upsampling is A·x·Bᵀ with the interpolation matrices A (H·sh, H) and B (W·sw, W),
 * each row holding an output row's (column's) two weights. The transposed convolution is the
 * convolution it is the data gradient of, turned around: the input spread out by the stride
 * (zeros stacked between its rows and columns), the output padding added as zero rows and
 * columns at the end, the kernel's channel axes swapped within each group and its taps flipped
 * (two gathers), then a convolution with stride 1, the same dilation and groups, and padding
 * dilation·(kernel − 1) minus the layer's padding on each side (a crop where that is negative).
 * Both add their terms in another order than the layer, so every element agrees within 1e-5 of
 * the sum of its terms' magnitudes, bounded from the sizes: output (C/groups)·R·S·max|x|·max|w|
 * plus max|b| and input gradient (K/groups)·R·S·max|w|·max|g| for the convolution; max|x| and
 * the largest column sums of A and B times max|g| for the upsampling; weight gradient
 * N·H·W·max|x|·max|g| and bias gradient N·P·Q·max|g|.
 */
class ComposedTwinTest {
    @Test
    void transposedConvolutionAndBilinearUpsampling() {
        Cases.qt(1705).forAll(booleans(), Gens.transposedConv(true), Gens.upsample(), Gens.seeds())
                .checkAssert((convolution, t, u, seed) -> {
                    boolean training = new SplittableRandom(seed).nextBoolean();
                    TwinPair.agree(convolution ? transposedConvolution(t, seed) : bilinear(u, seed), training, seed);
                });
    }

    private static TwinPair bilinear(UpsampleConfig c, long seed) {
        Tensor rows = interpolation(c.height(), c.scaleHeight());
        Tensor columns = interpolation(c.width(), c.scaleWidth());
        Tensor columnsT = columns.transpose().contiguous();
        Function twin = in -> {
            Tape tape = in[0].tape();
            return tape.constant(rows).matmul(in[0]).matmul(tape.constant(columnsT));
        };
        Tensor x = Values.uniform(c.inputShape(), seed, -2, 2);
        return TwinPair.rounded("bilinear upsampling " + c, Upsample2d.bilinear(c.scaleHeight(), c.scaleWidth()), twin,
                x, TwinPair.maxAbs(x), largestColumnSum(rows) * largestColumnSum(columns));
    }

    /**
     * The (size·scale, size) matrix of linear interpolation with half-pixel centres (the
     * {@code Upsample2d} javadoc): output i samples the input at max(0, (i + 0.5)/scale − 0.5),
     * between the index below and the next (the last repeating at the edge).
     */
    private static Tensor interpolation(int size, int scale) {
        int out = size * scale;
        float[] a = new float[out * size];
        for (int i = 0; i < out; i++) {
            double source = Math.max(0.0, (i + 0.5) / scale - 0.5);
            int low = Math.min((int) source, size - 1);
            int high = Math.min(low + 1, size - 1);
            float lowWeight = (float) (1.0 - (source - low));
            a[i * size + low] += lowWeight;
            a[i * size + high] += 1f - lowWeight;
        }
        return Tensor.fromArray(a, out, size);
    }

    private static double largestColumnSum(Tensor matrix) {
        double largest = 0;
        for (int j = 0; j < matrix.dim(1); j++) {
            double sum = 0;
            for (int i = 0; i < matrix.dim(0); i++) {
                sum += Math.abs(matrix.get(i, j));
            }
            largest = Math.max(largest, sum);
        }
        return largest;
    }

    private static TwinPair transposedConvolution(TransposedConvConfig c, long seed) {
        ConvTranspose2d layer = ConvTransposeTest.layer(c, true, seed);
        int groups = c.groups();
        int in = c.inChannels() / groups;
        int out = c.outChannels() / groups;
        int r = c.kernelHeight();
        int s = c.kernelWidth();
        int top = c.dilationHeight() * (r - 1) - c.padTop();
        int bottom = c.dilationHeight() * (r - 1) - c.padBottom();
        int left = c.dilationWidth() * (s - 1) - c.padLeft();
        int right = c.dilationWidth() * (s - 1) - c.padRight();
        Shape kernel = Shape.of(c.outChannels(), in, r, s);
        Tensor flipRows = Tensor.zeros(kernel);
        Tensor flipColumns = Tensor.zeros(kernel);
        for (int k = 0; k < kernel.dim(0); k++) {
            for (int ch = 0; ch < in; ch++) {
                for (int i = 0; i < r; i++) {
                    for (int j = 0; j < s; j++) {
                        flipRows.set(k, ch, i, j, r - 1 - i);
                        flipColumns.set(k, ch, i, j, s - 1 - j);
                    }
                }
            }
        }
        ConvSpec spec = ConvSpec.DEFAULT.padding(Math.max(top, 0), Math.max(bottom, 0), Math.max(left, 0),
                Math.max(right, 0)).dilation(c.dilationHeight(), c.dilationWidth()).groups(groups);
        Function twin = v -> {
            Var x = spread(v[0], 2, c.strideHeight(), c.outputPaddingHeight());
            x = crop(spread(x, 3, c.strideWidth(), c.outputPaddingWidth()), top, bottom, left, right);
            Var w = v[1].reshape(groups, in, out, r, s).permute(0, 2, 1, 3, 4).reshape(c.outChannels(), in, r, s)
                    .gather(2, flipRows).gather(3, flipColumns);
            return Nn.conv2d(x, w, v[2], spec);
        };
        Tensor x = Values.uniform(c.inputShape(), seed, -2, 2);
        double maxW = TwinPair.maxAbs(layer.weight().value());
        return TwinPair.rounded("transposed convolution " + c, layer, twin, x,
                in * r * s * TwinPair.maxAbs(x) * maxW + TwinPair.maxAbs(layer.bias().value()), out * r * s * maxW,
                c.batch() * c.height() * c.width() * TwinPair.maxAbs(x), c.batch() * c.outHeight() * c.outWidth());
    }

    /**
     * x with stride − 1 rows of zeros after each row along {@code axis} (2 or 3) but the last, and
     * {@code extra} rows of zeros at the end.
     */
    private static Var spread(Var x, int axis, int stride, int extra) {
        Tape tape = x.tape();
        int[] dims = x.shape().dims();
        int size = dims[axis];
        if (stride > 1) {
            Var[] parts = new Var[stride];
            parts[0] = x;
            for (int i = 1; i < stride; i++) {
                parts[i] = tape.constant(Tensor.zeros(x.shape()));
            }
            dims[axis] = size * stride;
            x = Nn.stack(axis + 1, parts).reshape(dims).slice(axis, 0, (size - 1) * stride + 1);
        }
        if (extra > 0) {
            int[] zeros = x.shape().dims();
            zeros[axis] = extra;
            x = Nn.concat(axis, x, tape.constant(Tensor.zeros(zeros)));
        }
        return x;
    }

    /** x without the first −top rows, the last −bottom rows (and columns likewise) where those are negative. */
    private static Var crop(Var x, int top, int bottom, int left, int right) {
        int height = x.shape().dim(2);
        int width = x.shape().dim(3);
        return x.slice(2, Math.max(-top, 0), height - Math.max(-bottom, 0))
                .slice(3, Math.max(-left, 0), width - Math.max(-right, 0));
    }
}
