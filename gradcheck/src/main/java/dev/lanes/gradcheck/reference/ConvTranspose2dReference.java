package dev.lanes.gradcheck.reference;

import java.util.ArrayList;
import java.util.List;

/**
 * 2-D transposed convolution, NCHW, by its definition as a scatter: every input pixel
 * {@code x[n][c][h][w]} adds {@code x · w[c][o'][r][s]} to output pixel
 * {@code y[n][o][h*sh - pt + r*dh][w*sw - pl + s*dw]} (when that lies inside the output), where
 * o = group(c) * K/groups + o'; then the bias. Output size per axis:
 * {@code (in - 1) * stride - padBefore - padAfter + dilation * (kernel - 1) + outputPadding + 1}.
 * Weight (C, K/groups, R, S), as PyTorch's {@code ConvTranspose2d}.
 *
 * <p>Backward: the same loops, each term's partials gathered: dx += g * w, dw += g * x, db[o] += g.
 */
public final class ConvTranspose2dReference implements ReferenceLayer {
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
    private final ReferenceParameter weight;
    private final ReferenceParameter bias;
    private double[] x;
    private int[] shape;

    /**
     * A transposed convolution with the given hyperparameters, weight and bias.
     *
     * @param inChannels the input channels, {@code >= 1}
     * @param outChannels the output channels, {@code >= 1}
     * @param kernelHeight the kernel (window) height, {@code >= 1}
     * @param kernelWidth the kernel (window) width, {@code >= 1}
     * @param strideHeight the vertical stride, {@code >= 1}
     * @param strideWidth the horizontal stride, {@code >= 1}
     * @param padTop the rows cropped from the top of the full output, {@code >= 0}
     * @param padBottom the rows cropped from the bottom of the full output, {@code >= 0}
     * @param padLeft the columns cropped from the left of the full output, {@code >= 0}
     * @param padRight the columns cropped from the right of the full output, {@code >= 0}
     * @param outputPaddingHeight the rows added at the bottom of the output, below the vertical
     *     stride
     * @param outputPaddingWidth the columns added at the right of the output, below the horizontal
     *     stride
     * @param dilationHeight the vertical dilation (1: adjacent rows), {@code >= 1}
     * @param dilationWidth the horizontal dilation (1: adjacent columns), {@code >= 1}
     * @param groups the channel groups; it divides both channel counts
     * @param weight (inChannels, outChannels/groups, kernelHeight, kernelWidth), used as is
     * @param bias   (outChannels), or null
     */
    public ConvTranspose2dReference(int inChannels, int outChannels, int kernelHeight, int kernelWidth,
                                    int strideHeight, int strideWidth, int padTop, int padBottom, int padLeft,
                                    int padRight, int outputPaddingHeight, int outputPaddingWidth,
                                    int dilationHeight, int dilationWidth, int groups, double[] weight,
                                    double[] bias) {
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("channels " + inChannels + " -> " + outChannels
                    + " do not split into " + groups + " groups");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelHeight = kernelHeight;
        this.kernelWidth = kernelWidth;
        this.strideHeight = strideHeight;
        this.strideWidth = strideWidth;
        this.padTop = padTop;
        this.padBottom = padBottom;
        this.padLeft = padLeft;
        this.padRight = padRight;
        this.outputPaddingHeight = outputPaddingHeight;
        this.outputPaddingWidth = outputPaddingWidth;
        this.dilationHeight = dilationHeight;
        this.dilationWidth = dilationWidth;
        this.groups = groups;
        this.weight = ReferenceParameter.of("weight", weight, inChannels, outChannels / groups, kernelHeight,
                kernelWidth);
        this.bias = bias == null ? null : ReferenceParameter.of("bias", bias, outChannels);
    }

    @Override
    public String name() {
        return "ConvTranspose2dReference(" + inChannels + " -> " + outChannels + ", " + kernelHeight + "x"
                + kernelWidth + ", stride " + strideHeight + "x" + strideWidth + ", pad " + padTop + "," + padBottom
                + "," + padLeft + "," + padRight + ", output pad " + outputPaddingHeight + "x" + outputPaddingWidth
                + ", dilation " + dilationHeight + "x" + dilationWidth + ", groups " + groups + ")";
    }

    @Override
    public int[] outputShape(int[] s) {
        Reference.requireRank(name(), s, 4);
        if (s[1] != inChannels) {
            throw new IllegalArgumentException(name() + " expects " + inChannels + " channels, got " + s[1]);
        }
        int height = (s[2] - 1) * strideHeight - padTop - padBottom + dilationHeight * (kernelHeight - 1)
                + outputPaddingHeight + 1;
        int width = (s[3] - 1) * strideWidth - padLeft - padRight + dilationWidth * (kernelWidth - 1)
                + outputPaddingWidth + 1;
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(name() + ": input " + s[2] + "x" + s[3] + " gives an empty output");
        }
        return new int[] {s[0], outChannels, height, width};
    }

    @Override
    public double[] forward(double[] input, int[] inputShape, boolean training) {
        int[] out = outputShape(inputShape);
        Reference.requireLength("input", input, Reference.size(inputShape));
        x = input.clone();
        shape = inputShape.clone();
        double[] y = new double[Reference.size(out)];
        if (bias != null) {
            int plane = out[2] * out[3];
            for (int i = 0; i < y.length; i++) {
                y[i] = bias.value()[(i / plane) % outChannels];
            }
        }
        visit(out, (xi, wi, yi) -> y[yi] += x[xi] * weight.value()[wi]);
        return y;
    }

    @Override
    public double[] backward(double[] g) {
        Reference.requireForward(x, name());
        int[] out = outputShape(shape);
        Reference.requireLength("gradOutput", g, Reference.size(out));
        double[] dx = new double[x.length];
        visit(out, (xi, wi, yi) -> {
            dx[xi] += g[yi] * weight.value()[wi];
            weight.grad()[wi] += g[yi] * x[xi];
        });
        if (bias != null) {
            int plane = out[2] * out[3];
            for (int i = 0; i < g.length; i++) {
                bias.grad()[(i / plane) % outChannels] += g[i];
            }
        }
        return dx;
    }

    /** One term of the scatter: input index, weight index, output index. */
    private interface Term {
        void accept(int inputIndex, int weightIndex, int outputIndex);
    }

    /** Calls {@code term} for every (input pixel, kernel tap) whose target lies inside the output. */
    private void visit(int[] out, Term term) {
        int n = shape[0];
        int h = shape[2];
        int w = shape[3];
        int cg = inChannels / groups;
        int kg = outChannels / groups;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < inChannels; c++) {
                int group = c / cg;
                for (int ih = 0; ih < h; ih++) {
                    for (int iw = 0; iw < w; iw++) {
                        int xi = ((i * inChannels + c) * h + ih) * w + iw;
                        for (int ol = 0; ol < kg; ol++) {
                            int o = group * kg + ol;
                            for (int r = 0; r < kernelHeight; r++) {
                                int oh = ih * strideHeight - padTop + r * dilationHeight;
                                for (int s = 0; s < kernelWidth; s++) {
                                    int ow = iw * strideWidth - padLeft + s * dilationWidth;
                                    if (oh >= 0 && oh < out[2] && ow >= 0 && ow < out[3]) {
                                        term.accept(xi, ((c * kg + ol) * kernelHeight + r) * kernelWidth + s,
                                                ((i * outChannels + o) * out[2] + oh) * out[3] + ow);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public List<ReferenceParameter> parameters() {
        List<ReferenceParameter> out = new ArrayList<>();
        out.add(weight);
        if (bias != null) {
            out.add(bias);
        }
        return out;
    }
}
