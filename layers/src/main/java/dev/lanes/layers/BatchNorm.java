package dev.lanes.layers;

import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Batch normalisation (Ioffe and Szegedy, 2015) over the channel axis 1: {@link BatchNorm1d} for
 * (n, features), {@link BatchNorm2d} for (n, c, h, w). Both see the input as (n, c, s) with s = 1
 * or h·w, and normalise each channel over the m = n·s values it has in the batch.
 *
 * <p><b>Training</b> uses the batch statistics: mean μ and biased variance σ² = Σ(x−μ)²/m, and
 * updates the running statistics with {@code running = (1 − momentum)·running + momentum·batch},
 * the batch variance made unbiased (·m/(m−1)) for the running one: PyTorch's convention
 * (momentum 0.1 is Keras' momentum 0.9). It needs m >= 2. <b>Inference</b> uses the running
 * statistics and changes nothing.
 *
 * <p>Parameters {@code weight} (γ, ones) and {@code bias} (β, zeros), both (c) and without weight
 * decay, unless the layer is not affine. Buffers (see {@link #buffers()}) {@code running_mean}
 * (zeros) and {@code running_var} (ones), (c): the names PyTorch uses, so checkpoints map one to
 * one. Sums are accumulated in double.
 */
public abstract sealed class BatchNorm implements Layer permits BatchNorm1d, BatchNorm2d {
    /** PyTorch's defaults. */
    public static final float DEFAULT_MOMENTUM = 0.1f;
    /** PyTorch's default ε. */
    public static final float DEFAULT_EPSILON = 1e-5f;

    private final int channels;
    private final float momentum;
    private final float epsilon;
    private final Parameter gamma;
    private final Parameter beta;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final String name;
    private final Workspace output = new Workspace();
    private final Workspace normalized = new Workspace();
    private final Workspace gradInput = new Workspace();
    private final Workspace inputCopy = new Workspace();
    private final Workspace gradCopy = new Workspace();
    // Per channel: the mean used, 1/sqrt(var + ε) used, and two sums for backward.
    private final double[] mean;
    private final double[] inverseStd;
    private final double[] sumGrad;
    private final double[] sumGradNormalized;
    private Shape lastShape;
    private boolean lastTraining;

    BatchNorm(String kind, int channels, float momentum, float epsilon, boolean affine) {
        if (channels < 1) {
            throw new IllegalArgumentException(kind + ": channels must be positive, got " + channels);
        }
        if (!(momentum >= 0f && momentum <= 1f)) {
            throw new IllegalArgumentException(kind + ": momentum must be in [0, 1], got " + momentum);
        }
        if (!(epsilon > 0f) || Float.isInfinite(epsilon)) {
            throw new IllegalArgumentException(kind + ": epsilon must be positive and finite, got " + epsilon);
        }
        this.channels = channels;
        this.momentum = momentum;
        this.epsilon = epsilon;
        this.gamma = affine ? new Parameter("weight", Tensor.ones(channels), false) : null;
        this.beta = affine ? new Parameter("bias", Tensor.zeros(channels), false) : null;
        this.runningMean = Tensor.zeros(channels);
        this.runningVar = Tensor.ones(channels);
        this.name = kind + "(" + channels + (affine ? "" : ", not affine") + ")";
        this.mean = new double[channels];
        this.inverseStd = new double[channels];
        this.sumGrad = new double[channels];
        this.sumGradNormalized = new double[channels];
    }

    /** {@return the number of channels (features)} */
    public int channels() {
        return channels;
    }

    /** {@return the running-statistics momentum} */
    public float momentum() {
        return momentum;
    }

    /** {@return the ε added to the variance} */
    public float epsilon() {
        return epsilon;
    }

    /**
     * γ, (c), or null when not affine.
     *
     * @return γ, shape (C), or null when the layer is not affine
     */
    public Parameter weight() {
        return gamma;
    }

    /**
     * β, (c), or null when not affine.
     *
     * @return β, shape (C), or null when the layer is not affine
     */
    public Parameter bias() {
        return beta;
    }

    /**
     * {@return the running mean, (c): the layer's own tensor, updated in place by training
     * forwards}
     */
    public Tensor runningMean() {
        return runningMean;
    }

    /** {@return the running (unbiased) variance, (c): the layer's own tensor} */
    public Tensor runningVar() {
        return runningVar;
    }

    @Override
    public String name() {
        return name;
    }

    /** The expected input shape for messages, e.g. {@code (N, 16, H, W)}. */
    abstract String expectedInput();

    /** Whether the shape has the rank this layer normalises. */
    abstract boolean rankFits(Shape shape);

    @Override
    public Shape outputShape(Shape inputShape) {
        if (!rankFits(inputShape) || inputShape.dim(1) != channels) {
            throw Shapes.mismatch(name, "input", expectedInput(), inputShape);
        }
        return inputShape;
    }

    // Training, per channel over its m values:
    //   x̂ = (x − μ)·ι with ι = 1/sqrt(σ² + ε);  y = γ·x̂ + β
    // Inference: the same with the running μ and σ².
    @Override
    public Tensor forward(Tensor input, boolean training) {
        Shape shape = outputShape(input.shape());
        int n = shape.dim(0);
        int spatial = shape.size() / Math.max(1, n * channels);
        int m = n * spatial;
        if (training && m < 2) {
            throw new IllegalArgumentException(name + ": training needs at least 2 values per channel, got input "
                    + shape);
        }
        Tensor xt = inputCopy.contiguous(input);
        float[] x = xt.data();
        int xo = xt.offset();
        if (training) {
            batchStatistics(x, xo, n, spatial);
        } else {
            for (int c = 0; c < channels; c++) {
                mean[c] = runningMean.data()[c];
                inverseStd[c] = 1.0 / Math.sqrt((double) runningVar.data()[c] + epsilon);
            }
        }
        float[] xhat = normalized.get(shape).data();
        float[] y = output.get(shape).data();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * spatial;
                float mu = (float) mean[c];
                float iota = (float) inverseStd[c];
                float g = gamma != null ? gamma.value().data()[c] : 1f;
                float b = beta != null ? beta.value().data()[c] : 0f;
                for (int s = 0; s < spatial; s++) {
                    float v = (x[xo + base + s] - mu) * iota;
                    xhat[base + s] = v;
                    y[base + s] = g * v + b;
                }
            }
        }
        lastShape = shape;
        lastTraining = training;
        return output.get(shape);
    }

    /** Sets mean and inverseStd from the batch and updates the running statistics. */
    private void batchStatistics(float[] x, int xo, int n, int spatial) {
        int m = n * spatial;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                int base = xo + (i * channels + c) * spatial;
                for (int s = 0; s < spatial; s++) {
                    sum += x[base + s];
                }
            }
            double mu = sum / m;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                int base = xo + (i * channels + c) * spatial;
                for (int s = 0; s < spatial; s++) {
                    double d = x[base + s] - mu;
                    squares += d * d;
                }
            }
            double variance = squares / m;
            mean[c] = mu;
            inverseStd[c] = 1.0 / Math.sqrt(variance + epsilon);
            float[] rm = runningMean.data();
            float[] rv = runningVar.data();
            rm[c] = (float) ((1.0 - momentum) * rm[c] + momentum * mu);
            rv[c] = (float) ((1.0 - momentum) * rv[c] + momentum * variance * m / (m - 1));
        }
    }

    // With Σ over the channel's m values:
    //   dL/dβ += Σ dy;   dL/dγ += Σ dy·x̂
    // Training (μ and σ² depend on x):
    //   dL/dx = γ·ι/m · (m·dy − Σ dy − x̂·Σ dy·x̂)
    // Inference (running statistics are constants):
    //   dL/dx = γ·ι·dy
    @Override
    public Tensor backward(Tensor gradOutput) {
        if (lastShape == null) {
            throw new IllegalStateException(name + ": backward before forward");
        }
        Shapes.requireEqual(name, "gradOutput", gradOutput.shape(), lastShape);
        int n = lastShape.dim(0);
        int spatial = lastShape.size() / Math.max(1, n * channels);
        int m = n * spatial;
        Tensor gt = gradCopy.contiguous(gradOutput);
        float[] dy = gt.data();
        int go = gt.offset();
        float[] xhat = normalized.get(lastShape).data();
        java.util.Arrays.fill(sumGrad, 0);
        java.util.Arrays.fill(sumGradNormalized, 0);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * spatial;
                double sg = 0;
                double sgx = 0;
                for (int s = 0; s < spatial; s++) {
                    float g = dy[go + base + s];
                    sg += g;
                    sgx += (double) g * xhat[base + s];
                }
                sumGrad[c] += sg;
                sumGradNormalized[c] += sgx;
            }
        }
        if (gamma != null) {
            float[] dGamma = gamma.grad().data();
            float[] dBeta = beta.grad().data();
            for (int c = 0; c < channels; c++) {
                dGamma[c] += (float) sumGradNormalized[c];
                dBeta[c] += (float) sumGrad[c];
            }
        }
        float[] dx = gradInput.get(lastShape).data();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * spatial;
                double g = gamma != null ? gamma.value().data()[c] : 1.0;
                float k = (float) (g * inverseStd[c]);
                if (lastTraining) {
                    float meanGrad = (float) (sumGrad[c] / m);
                    float meanGradNormalized = (float) (sumGradNormalized[c] / m);
                    for (int s = 0; s < spatial; s++) {
                        dx[base + s] = k * (dy[go + base + s] - meanGrad - xhat[base + s] * meanGradNormalized);
                    }
                } else {
                    for (int s = 0; s < spatial; s++) {
                        dx[base + s] = k * dy[go + base + s];
                    }
                }
            }
        }
        return gradInput.get(lastShape);
    }

    @Override
    public List<Parameter> parameters() {
        return gamma != null ? List.of(gamma, beta) : List.of();
    }

    @Override
    public Map<String, Tensor> buffers() {
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        buffers.put("running_mean", runningMean);
        buffers.put("running_var", runningVar);
        return Collections.unmodifiableMap(buffers);
    }
}
