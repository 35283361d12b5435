package dev.lanes.gradcheck.reference;

import java.util.List;

/**
 * Batch normalization over axis 1 (channels) of an (N, C) or (N, C, H, W) input (any rank &gt;= 2).
 *
 * <p>Training: per channel, over the m = N*H*W elements of that channel,
 * mu = sum x / m, v = sum (x - mu)^2 / m (biased), xhat = (x - mu) / sqrt(v + eps),
 * y = gamma xhat + beta; the running statistics move by {@code running = (1 - momentum) running
 * + momentum * batch}, with the unbiased variance v m / (m - 1) (PyTorch's convention).
 * Inference: y = gamma (x - runningMean) / sqrt(runningVar + eps) + beta.
 *
 * <p>Backward in training by the chain rule through v and mu, step by step:
 * dxhat = g gamma; dv = sum dxhat (x - mu) * (-1/2) (v + eps)^(-3/2);
 * dmu = sum dxhat * (-1 / sqrt(v + eps)) + dv * sum(-2 (x - mu)) / m;
 * dx = dxhat / sqrt(v + eps) + dv * 2 (x - mu) / m + dmu / m; dgamma += sum g xhat; dbeta += sum g.
 */
public final class BatchNormReference implements ReferenceLayer {
    private final int channels;
    private final double eps;
    private final double momentum;
    private final boolean affine;
    private final ReferenceParameter gamma;
    private final ReferenceParameter beta;
    private final double[] runningMean;
    private final double[] runningVar;
    private double[] x;
    private int[] shape;
    private boolean training;
    private double[] mean;
    private double[] variance;

    /**
     * gamma and beta (C) are the parameters {@code weight} and {@code bias}, used as is, or null
     * both for a layer without them (gamma 1, beta 0, no parameters); the running statistics (C)
     * are updated in place.
     *
     * @param channels the channels, {@code >= 1}
     * @param eps ε, added to the variance
     * @param momentum the weight of the newest batch in the running statistics
     * @param gamma γ (channels), or null when not affine
     * @param beta β (channels), or null when not affine
     * @param runningMean the running mean (channels), updated in training
     * @param runningVar the running variance (channels), updated in training
     */
    public BatchNormReference(int channels, double eps, double momentum, double[] gamma, double[] beta,
                              double[] runningMean, double[] runningVar) {
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = gamma != null;
        double[] ones = new double[channels];
        java.util.Arrays.fill(ones, 1);
        this.gamma = ReferenceParameter.of("weight", affine ? gamma : ones, channels);
        this.beta = ReferenceParameter.of("bias", affine ? beta : new double[channels], channels);
        Reference.requireLength("runningMean", runningMean, channels);
        Reference.requireLength("runningVar", runningVar, channels);
        this.runningMean = runningMean;
        this.runningVar = runningVar;
    }

    @Override
    public String name() {
        return "BatchNormReference(" + channels + ", eps " + eps + ", momentum " + momentum + ")";
    }

    /** {@return the running means, updated by every training forward} */
    public double[] runningMean() {
        return runningMean;
    }

    /** {@return the running (unbiased) variances, updated by every training forward} */
    public double[] runningVar() {
        return runningVar;
    }

    @Override
    public int[] outputShape(int[] s) {
        if (s.length < 2 || s[1] != channels) {
            throw new IllegalArgumentException(name() + " expects (N, " + channels + ", ...), got "
                    + java.util.Arrays.toString(s));
        }
        return s.clone();
    }

    private int inner() {
        int inner = 1;
        for (int i = 2; i < shape.length; i++) {
            inner *= shape[i];
        }
        return inner;
    }

    /** Flat index of element e (0 to m-1) of channel c. */
    private int index(int c, int e) {
        int inner = inner();
        int n = e / inner;
        return (n * channels + c) * inner + e % inner;
    }

    @Override
    public double[] forward(double[] input, int[] inputShape, boolean training) {
        outputShape(inputShape);
        Reference.requireLength("input", input, Reference.size(inputShape));
        x = input.clone();
        shape = inputShape.clone();
        this.training = training;
        int m = shape[0] * inner();
        mean = new double[channels];
        variance = new double[channels];
        double[] y = new double[x.length];
        for (int c = 0; c < channels; c++) {
            if (training) {
                double sum = 0;
                for (int e = 0; e < m; e++) {
                    sum += x[index(c, e)];
                }
                mean[c] = sum / m;
                double squares = 0;
                for (int e = 0; e < m; e++) {
                    double d = x[index(c, e)] - mean[c];
                    squares += d * d;
                }
                variance[c] = squares / m;
                runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean[c];
                double unbiased = m > 1 ? variance[c] * m / (m - 1) : variance[c];
                runningVar[c] = (1 - momentum) * runningVar[c] + momentum * unbiased;
            } else {
                mean[c] = runningMean[c];
                variance[c] = runningVar[c];
            }
            double sigma = Math.sqrt(variance[c] + eps);
            for (int e = 0; e < m; e++) {
                int i = index(c, e);
                y[i] = gamma.value()[c] * (x[i] - mean[c]) / sigma + beta.value()[c];
            }
        }
        return y;
    }

    @Override
    public double[] backward(double[] g) {
        Reference.requireForward(x, name());
        Reference.requireLength("gradOutput", g, x.length);
        int m = shape[0] * inner();
        double[] dx = new double[x.length];
        for (int c = 0; c < channels; c++) {
            double sigma = Math.sqrt(variance[c] + eps);
            double dvar = 0;
            double dmean = 0;
            double centredSum = 0;
            for (int e = 0; e < m; e++) {
                int i = index(c, e);
                double xhat = (x[i] - mean[c]) / sigma;
                gamma.grad()[c] += g[i] * xhat;
                beta.grad()[c] += g[i];
                double dxhat = g[i] * gamma.value()[c];
                dvar += dxhat * (x[i] - mean[c]) * -0.5 * Math.pow(variance[c] + eps, -1.5);
                dmean += dxhat * (-1 / sigma);
                centredSum += -2 * (x[i] - mean[c]);
            }
            dmean += dvar * centredSum / m;
            for (int e = 0; e < m; e++) {
                int i = index(c, e);
                double dxhat = g[i] * gamma.value()[c];
                dx[i] = training ? dxhat / sigma + dvar * 2 * (x[i] - mean[c]) / m + dmean / m : dxhat / sigma;
            }
        }
        return dx;
    }

    @Override
    public List<ReferenceParameter> parameters() {
        return affine ? List.of(gamma, beta) : List.of();
    }
}
