package dev.lanes.gradcheck.reference;

import dev.lanes.kernels.ConvGeometry;
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
    /** The hyperparameters, as the layer keeps them; {@link ConvGeometry#withInput} fits each input. */
    private final ConvGeometry template;
    private final ReferenceParameter weight;
    private final ReferenceParameter bias;
    private double[] x;
    private int[] shape;

    /**
     * The convolution {@code template} with the given weight and bias.
     *
     * @param template the convolution (its input size is not used; see {@code dev.lanes.layers.Conv2d#template})
     * @param weight   (outChannels, inChannels/groups, kernelHeight, kernelWidth), used as is
     * @param bias     (outChannels), or null
     */
    public Conv2dReference(ConvGeometry template, double[] weight, double[] bias) {
        this.template = template;
        this.weight = ReferenceParameter.of("weight", weight, template.outChannels(), template.inChannelsPerGroup(),
                template.kernelHeight(), template.kernelWidth());
        this.bias = bias == null ? null : ReferenceParameter.of("bias", bias, template.outChannels());
    }

    @Override
    public String name() {
        ConvGeometry g = template;
        return "Conv2dReference(" + g.inChannels() + " -> " + g.outChannels() + ", " + g.kernelHeight() + "x"
                + g.kernelWidth() + ", stride " + g.strideHeight() + "x" + g.strideWidth() + ", pad " + g.padTop()
                + "," + g.padBottom() + "," + g.padLeft() + "," + g.padRight() + ", dilation " + g.dilationHeight()
                + "x" + g.dilationWidth() + ", groups " + g.groups() + ")";
    }

    @Override
    public int[] outputShape(int[] s) {
        ConvGeometry g = geometry(s);
        return new int[] {s[0], g.outChannels(), g.outHeight(), g.outWidth()};
    }

    /** The geometry of an input of shape s. */
    private ConvGeometry geometry(int[] s) {
        Reference.requireRank(name(), s, 4);
        if (s[1] != template.inChannels()) {
            throw new IllegalArgumentException(name() + " expects " + template.inChannels() + " channels, got " + s[1]);
        }
        try {
            return template.withInput(s[2], s[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name() + ": the kernel does not fit input " + s[2] + "x" + s[3], e);
        }
    }

    @Override
    public double[] forward(double[] input, int[] inputShape, boolean training) {
        ConvGeometry g = geometry(inputShape);
        Reference.requireLength("input", input, Reference.size(inputShape));
        x = input.clone();
        shape = inputShape.clone();
        int n = shape[0];
        int h = g.inHeight();
        int w = g.inWidth();
        int p = g.outHeight();
        int q = g.outWidth();
        int inChannels = g.inChannels();
        int outChannels = g.outChannels();
        int kernelHeight = g.kernelHeight();
        int kernelWidth = g.kernelWidth();
        int cg = g.inChannelsPerGroup();
        int kg = g.outChannelsPerGroup();
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
                                int ih = op * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                                for (int s = 0; s < kernelWidth; s++) {
                                    int iw = oq * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
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
    public double[] backward(double[] gradOutput) {
        Reference.requireForward(x, name());
        ConvGeometry g = geometry(shape);
        Reference.requireLength("gradOutput", gradOutput, Reference.size(outputShape(shape)));
        int n = shape[0];
        int h = g.inHeight();
        int w = g.inWidth();
        int p = g.outHeight();
        int q = g.outWidth();
        int inChannels = g.inChannels();
        int outChannels = g.outChannels();
        int kernelHeight = g.kernelHeight();
        int kernelWidth = g.kernelWidth();
        int cg = g.inChannelsPerGroup();
        int kg = g.outChannelsPerGroup();
        double[] wt = weight.value();
        double[] dw = weight.grad();
        double[] dx = new double[x.length];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < outChannels; k++) {
                int group = k / kg;
                for (int op = 0; op < p; op++) {
                    for (int oq = 0; oq < q; oq++) {
                        double go = gradOutput[((i * outChannels + k) * p + op) * q + oq];
                        if (bias != null) {
                            bias.grad()[k] += go;
                        }
                        for (int cl = 0; cl < cg; cl++) {
                            int c = group * cg + cl;
                            for (int r = 0; r < kernelHeight; r++) {
                                int ih = op * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                                for (int s = 0; s < kernelWidth; s++) {
                                    int iw = oq * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
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
