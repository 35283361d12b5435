package dev.lanes.gradcheck.reference;

import java.util.ArrayList;
import java.util.List;

/**
 * 2-D convolution (cross-correlation, as in every DL library), NCHW, by the seven loops of its
 * definition:
 * {@code y[n][k][p][q] = b[k] + sum_{c', r, s} w[k][c'][r][s] * x[n][c][p*sh - pt + r*dh][q*sw - pl + s*dw]}
 * where c = group(k) * C/groups + c' and x is 0 outside the image (zero padding).
 *
 * <p>Backward: the same loops, each term's partials scattered: dx[...] += g * w, dw[...] += g * x,
 * db[k] += g.
 */
public final class Conv2dReference implements ReferenceLayer {
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
    private final int dilationHeight;
    private final int dilationWidth;
    private final int groups;
    private final ReferenceParameter weight;
    private final ReferenceParameter bias;
    private double[] x;
    private int[] shape;

    /**
     * @param weight (outChannels, inChannels/groups, kernelHeight, kernelWidth), used as is
     * @param bias   (outChannels), or null
     */
    public Conv2dReference(int inChannels, int outChannels, int kernelHeight, int kernelWidth, int strideHeight,
                           int strideWidth, int padTop, int padBottom, int padLeft, int padRight, int dilationHeight,
                           int dilationWidth, int groups, double[] weight, double[] bias) {
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
        this.dilationHeight = dilationHeight;
        this.dilationWidth = dilationWidth;
        this.groups = groups;
        this.weight = ReferenceParameter.of("weight", weight, outChannels, inChannels / groups, kernelHeight,
                kernelWidth);
        this.bias = bias == null ? null : ReferenceParameter.of("bias", bias, outChannels);
    }

    @Override
    public String name() {
        return "Conv2dReference(" + inChannels + " -> " + outChannels + ", " + kernelHeight + "x" + kernelWidth
                + ", stride " + strideHeight + "x" + strideWidth + ", pad " + padTop + "," + padBottom + ","
                + padLeft + "," + padRight + ", dilation " + dilationHeight + "x" + dilationWidth + ", groups "
                + groups + ")";
    }

    @Override
    public int[] outputShape(int[] s) {
        Reference.requireRank(name(), s, 4);
        if (s[1] != inChannels) {
            throw new IllegalArgumentException(name() + " expects " + inChannels + " channels, got " + s[1]);
        }
        int p = (s[2] + padTop + padBottom - dilationHeight * (kernelHeight - 1) - 1) / strideHeight + 1;
        int q = (s[3] + padLeft + padRight - dilationWidth * (kernelWidth - 1) - 1) / strideWidth + 1;
        if (s[2] + padTop + padBottom < dilationHeight * (kernelHeight - 1) + 1
                || s[3] + padLeft + padRight < dilationWidth * (kernelWidth - 1) + 1) {
            throw new IllegalArgumentException(name() + ": the kernel does not fit input " + s[2] + "x" + s[3]);
        }
        return new int[] {s[0], outChannels, p, q};
    }

    @Override
    public double[] forward(double[] input, int[] inputShape, boolean training) {
        int[] out = outputShape(inputShape);
        Reference.requireLength("input", input, Reference.size(inputShape));
        x = input.clone();
        shape = inputShape.clone();
        int n = shape[0];
        int h = shape[2];
        int w = shape[3];
        int p = out[2];
        int q = out[3];
        int cg = inChannels / groups;
        int kg = outChannels / groups;
        double[] wt = weight.value();
        double[] y = new double[n * outChannels * p * q];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < outChannels; k++) {
                int group = k / kg;
                for (int op = 0; op < p; op++) {
                    for (int oq = 0; oq < q; oq++) {
                        double sum = bias == null ? 0 : bias.value()[k];
                        for (int cl = 0; cl < cg; cl++) {
                            int c = group * cg + cl;
                            for (int r = 0; r < kernelHeight; r++) {
                                int ih = op * strideHeight - padTop + r * dilationHeight;
                                for (int s = 0; s < kernelWidth; s++) {
                                    int iw = oq * strideWidth - padLeft + s * dilationWidth;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                                        sum += wt[((k * cg + cl) * kernelHeight + r) * kernelWidth + s]
                                                * x[((i * inChannels + c) * h + ih) * w + iw];
                                    }
                                }
                            }
                        }
                        y[((i * outChannels + k) * p + op) * q + oq] = sum;
                    }
                }
            }
        }
        return y;
    }

    @Override
    public double[] backward(double[] g) {
        Reference.requireForward(x, name());
        int[] out = outputShape(shape);
        Reference.requireLength("gradOutput", g, Reference.size(out));
        int n = shape[0];
        int h = shape[2];
        int w = shape[3];
        int p = out[2];
        int q = out[3];
        int cg = inChannels / groups;
        int kg = outChannels / groups;
        double[] wt = weight.value();
        double[] dw = weight.grad();
        double[] dx = new double[x.length];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < outChannels; k++) {
                int group = k / kg;
                for (int op = 0; op < p; op++) {
                    for (int oq = 0; oq < q; oq++) {
                        double go = g[((i * outChannels + k) * p + op) * q + oq];
                        if (bias != null) {
                            bias.grad()[k] += go;
                        }
                        for (int cl = 0; cl < cg; cl++) {
                            int c = group * cg + cl;
                            for (int r = 0; r < kernelHeight; r++) {
                                int ih = op * strideHeight - padTop + r * dilationHeight;
                                for (int s = 0; s < kernelWidth; s++) {
                                    int iw = oq * strideWidth - padLeft + s * dilationWidth;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                                        int wi = ((k * cg + cl) * kernelHeight + r) * kernelWidth + s;
                                        int xi = ((i * inChannels + c) * h + ih) * w + iw;
                                        dx[xi] += go * wt[wi];
                                        dw[wi] += go * x[xi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
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
