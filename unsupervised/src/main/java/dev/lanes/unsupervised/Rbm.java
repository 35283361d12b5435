package dev.lanes.unsupervised;

import dev.lanes.kernels.Gemm;
import dev.lanes.kernels.VectorMath;
import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;

/**
 * A restricted Boltzmann machine: V visible units, H binary hidden units, no connections within
 * a layer. With Bernoulli visible units each joint state has the energy
 * {@code E(v, h) = −bᵀv − cᵀh − vᵀWᵀh} and probability {@code P(v, h) = e^(−E(v, h)) / Z}; with
 * Gaussian visible units (unit variance) the visible term is {@code ||v − b||² / 2} instead of
 * {@code −bᵀv}. Either way the hidden units are independent given v,
 * {@code P(h_j = 1 | v) = σ(c_j + W_j·v)}, and the visible units given h: {@code σ(b + Wᵀh)}, or
 * {@code N(b + Wᵀh, I)}.
 *
 * <p>Summing out h gives the free energy, {@code P(v) = e^(−F(v)) / Z} with
 * {@code F(v) = −bᵀv − Σ_j softplus(c_j + W_j·v)} (Gaussian: {@code ||v − b||²/2 − Σ_j ...}).
 *
 * <p>The weight is stored <b>(H, V)</b> row-major, as a {@code Dense(V -> H)} layer's, so row j
 * is hidden unit j's filter; biases b (V) and c (H). Initialisation: W ~ N(0, 0.01²) from the
 * seed (Hinton, "A Practical Guide to Training Restricted Boltzmann Machines", 2010), biases zero.
 *
 * <p>Batches are row-major (n, V) and (n, H) float arrays; the products run on {@link Gemm#sgemm}
 * and the logistic function on {@link VectorMath#sigmoid}, so results do not depend on the thread
 * count. The array methods check lengths; the tensor methods also check the values (0 or 1 for
 * Bernoulli units, finite for Gaussian).
 */
public final class Rbm {
    private final int visible;
    private final int hidden;
    private final VisibleUnits units;
    private final Parameter weight;
    private final Parameter visibleBias;
    private final Parameter hiddenBias;
    private final String name;

    /**
     * An RBM with weights N(0, 0.01²) from {@code seed} and zero biases.
     *
     * @param visible V, the number of visible units, {@code >= 1}
     * @param hidden H, the number of hidden units, {@code >= 1}
     * @param units Bernoulli (binary) or Gaussian visible units
     * @param seed the seed of the weights
     * @throws IllegalArgumentException if a unit count is not positive or the units are null
     */
    public Rbm(int visible, int hidden, VisibleUnits units, long seed) {
        if (visible < 1 || hidden < 1) {
            throw new IllegalArgumentException("Rbm: unit counts must be positive, got " + visible + " visible and "
                    + hidden + " hidden");
        }
        if (units == null) {
            throw new IllegalArgumentException("Rbm: visible units must not be null");
        }
        this.visible = visible;
        this.hidden = hidden;
        this.units = units;
        this.weight = new Parameter("weight", Tensor.randn(Shape.of(hidden, visible), 0f, 0.01f, seed), true);
        this.visibleBias = new Parameter("visible_bias", Tensor.zeros(visible), false);
        this.hiddenBias = new Parameter("hidden_bias", Tensor.zeros(hidden), false);
        this.name = "Rbm(" + visible + " -> " + hidden + ", " + (units == VisibleUnits.BERNOULLI ? "Bernoulli"
                : "Gaussian") + " visible)";
    }

    /**
     * {@return a short description for messages, e.g. {@code Rbm(784 -> 500, Bernoulli visible)}}
     */
    public String name() {
        return name;
    }

    /**
     * V.
     *
     * @return V, the number of visible units
     */
    public int visible() {
        return visible;
    }

    /**
     * H.
     *
     * @return H, the number of hidden units
     */
    public int hidden() {
        return hidden;
    }

    /** {@return the kind of the visible units} */
    public VisibleUnits units() {
        return units;
    }

    /**
     * W, (H, V).
     *
     * @return W, (H, V)
     */
    public Parameter weight() {
        return weight;
    }

    /**
     * b, (V).
     *
     * @return b, (V)
     */
    public Parameter visibleBias() {
        return visibleBias;
    }

    /**
     * c, (H).
     *
     * @return c, (H)
     */
    public Parameter hiddenBias() {
        return hiddenBias;
    }

    /**
     * W, b and c, in that order (the order of checkpoints and of {@link RbmGradient}).
     *
     * @return W, b and c, in that order
     */
    public List<Parameter> parameters() {
        return List.of(weight, visibleBias, hiddenBias);
    }

    /**
     * out (n, H) = v (n, V) · Wᵀ + c: the hidden units' total inputs.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of the first output value
     * @param v the visible values, row-major, (n, V) from {@code offV}
     * @param offV the index in {@code v} of the first row's first value
     * @param n the number of rows, {@code >= 1}
     */
    public void hiddenInputs(float[] out, int offOut, float[] v, int offV, int n) {
        Matrices.requireRows(name, "hidden inputs", out, offOut, n, hidden);
        Matrices.requireRows(name, "visible", v, offV, n, visible);
        float[] c = hiddenBias.value().data();
        for (int row = 0; row < n; row++) {
            System.arraycopy(c, 0, out, offOut + row * hidden, hidden);
        }
        Gemm.sgemm(false, true, n, hidden, visible, 1f, v, offV, visible, weight.value().data(), 0, visible, 1f,
                out, offOut, hidden);
    }

    /**
     * out (n, H) = P(h = 1 | v) = σ(v Wᵀ + c).
     *
     * @param out the output array
     * @param offOut the index in {@code out} of the first output value
     * @param v the visible values, row-major, (n, V) from {@code offV}
     * @param offV the index in {@code v} of the first row's first value
     * @param n the number of rows, {@code >= 1}
     */
    public void hiddenProbabilities(float[] out, int offOut, float[] v, int offV, int n) {
        hiddenInputs(out, offOut, v, offV, n);
        Chunks.sigmoid(out, offOut, n * hidden);
    }

    /**
     * out (n, V) = E[v | h] for h (n, H): σ(h W + b) for Bernoulli units, h W + b for Gaussian.
     *
     * @param out the output array
     * @param offOut the index in {@code out} of the first output value
     * @param h the hidden values, row-major, (n, H) from {@code offH}
     * @param offH the index in {@code h} of the first row's first value
     * @param n the number of rows, {@code >= 1}
     */
    public void visibleMeans(float[] out, int offOut, float[] h, int offH, int n) {
        visibleInputs(out, offOut, h, offH, n);
        if (units == VisibleUnits.BERNOULLI) {
            Chunks.sigmoid(out, offOut, n * visible);
        }
    }

    /** out (n, V) = h (n, H) · W + b: the visible units' total inputs (their means for Gaussian units). */
    void visibleInputs(float[] out, int offOut, float[] h, int offH, int n) {
        Matrices.requireRows(name, "visible means", out, offOut, n, visible);
        Matrices.requireRows(name, "hidden", h, offH, n, hidden);
        float[] b = visibleBias.value().data();
        for (int row = 0; row < n; row++) {
            System.arraycopy(b, 0, out, offOut + row * visible, visible);
        }
        Gemm.sgemm(false, false, n, visible, hidden, 1f, h, offH, hidden, weight.value().data(), 0, visible, 1f,
                out, offOut, visible);
    }

    /**
     * out[i] = F(v_i) for the n rows of v, in double: {@code −bᵀv − Σ_j softplus(c_j + W_j·v)}, or
     * {@code ||v − b||²/2 − Σ_j softplus(...)} for Gaussian units. {@code hiddenInputs} (n, H) is
     * scratch space.
     *
     * @param out the output, one double per row, from index 0
     * @param v the visible values, row-major, (n, V) from {@code offV}
     * @param offV the index in {@code v} of the first row's first value
     * @param n the number of rows, {@code >= 1}
     * @param hiddenInputs scratch space of at least n x H floats
     */
    public void freeEnergy(double[] out, float[] v, int offV, int n, float[] hiddenInputs) {
        if (out == null || out.length < n) {
            throw new IllegalArgumentException(name + ": free energy output needs " + n + " entries");
        }
        hiddenInputs(hiddenInputs, 0, v, offV, n);
        float[] b = visibleBias.value().data();
        for (int row = 0; row < n; row++) {
            double softplusSum = 0;
            for (int j = 0; j < hidden; j++) {
                softplusSum += softplus(hiddenInputs[row * hidden + j]);
            }
            double visibleTerm = 0;
            int start = offV + row * visible;
            for (int i = 0; i < visible; i++) {
                double value = v[start + i];
                visibleTerm += units == VisibleUnits.BERNOULLI ? -b[i] * value : 0.5 * (value - b[i]) * (value - b[i]);
            }
            out[row] = visibleTerm - softplusSum;
        }
    }

    /** log(1 + e^x) in double without overflow. */
    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /**
     * F(v) of each row of a (n, V) tensor; values checked as the units require.
     *
     * @param visibleStates the visible values (n, V)
     * @return F(v) of each row, (n)
     */
    public double[] freeEnergy(Tensor visibleStates) {
        Tensor v = checkedVisible(visibleStates, false);
        int n = v.dim(0);
        double[] out = new double[n];
        freeEnergy(out, v.data(), v.offset(), n, new float[n * hidden]);
        return out;
    }

    /**
     * P(h = 1 | v), (n, H), for a (n, V) tensor; values checked as the units require.
     *
     * @param visibleStates the visible values (n, V)
     * @return P(h = 1 | v), (n, H)
     */
    public Tensor hiddenProbabilities(Tensor visibleStates) {
        Tensor v = checkedVisible(visibleStates, true);
        Tensor out = Tensor.zeros(v.dim(0), hidden);
        hiddenProbabilities(out.data(), 0, v.data(), v.offset(), v.dim(0));
        return out;
    }

    /**
     * E[v | h], (n, V), for a (n, H) tensor of hidden values (states or probabilities, in [0, 1]).
     *
     * @param hiddenValues the hidden states or probabilities (n, H), in [0, 1]
     * @return E[v | h], (n, V)
     */
    public Tensor visibleMeans(Tensor hiddenValues) {
        Tensor h = Matrices.requireMatrix(name, "hidden", hiddenValues, hidden);
        Matrices.requireValues(name, "hidden", h.data(), h.offset(), h.dim(0), hidden, false, true);
        Tensor out = Tensor.zeros(h.dim(0), visible);
        visibleMeans(out.data(), 0, h.data(), h.offset(), h.dim(0));
        return out;
    }

    /**
     * Checks a (n, V) batch of visible data: finite, and for Bernoulli units 0 or 1, or in [0, 1]
     * when {@code probabilities} are accepted (as the layers of a deep belief network pass up).
     *
     * @param v the visible values, row-major, (n, V) from {@code offV}
     * @param offV the index in {@code v} of the first row's first value
     * @param n the number of rows, {@code >= 1}
     * @param probabilities true to accept values in [0, 1] for Bernoulli units, false for 0 and 1
     *     only
     * @throws IllegalArgumentException naming the first bad value, its row and column
     */
    public void checkVisible(float[] v, int offV, int n, boolean probabilities) {
        Matrices.requireRows(name, "visible data", v, offV, n, visible);
        boolean bernoulli = units == VisibleUnits.BERNOULLI;
        Matrices.requireValues(name, "visible data", v, offV, n, visible, bernoulli && !probabilities,
                bernoulli && probabilities);
    }

    private Tensor checkedVisible(Tensor visibleStates, boolean probabilities) {
        Tensor v = Matrices.requireMatrix(name, "visible data", visibleStates, visible);
        checkVisible(v.data(), v.offset(), v.dim(0), probabilities);
        return v;
    }

    @Override
    public String toString() {
        return name;
    }
}
