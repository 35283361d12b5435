package dev.lanes.unsupervised;

/**
 * Exact quantities of small RBMs by summing over every binary state, in double precision from
 * the float parameters: the log partition function and the log-likelihood. For Bernoulli visible
 * units the sum runs over whichever layer is smaller (2^min(V, H) terms); for Gaussian visible
 * units over the hidden states, the visible ones integrated out in closed form:
 * {@code Z = (2π)^(V/2) Σ_h exp(cᵀh + ||b + Wᵀh||²/2 − ||b||²/2)}. Up to {@value #MAX_UNITS}
 * summed units (16 million terms).
 */
public final class Enumeration {
    /** The most units the sum may run over. */
    public static final int MAX_UNITS = 24;

    private Enumeration() {
    }

    /**
     * log Z, exactly (up to double rounding).
     *
     * @param rbm the RBM
     * @return log Z
     * @throws IllegalArgumentException when the layer summed over has more than {@value #MAX_UNITS} units
     */
    public static double logPartition(Rbm rbm) {
        int visible = rbm.visible();
        int hidden = rbm.hidden();
        boolean overVisible = rbm.units() == VisibleUnits.BERNOULLI && visible < hidden;
        int units = overVisible ? visible : hidden;
        if (units > MAX_UNITS) {
            throw new IllegalArgumentException(rbm.name() + ": exact enumeration sums over 2^" + units
                    + " states; it is limited to " + MAX_UNITS + " units (estimate log Z with AIS instead)");
        }
        float[] w = rbm.weight().value().data();
        float[] b = rbm.visibleBias().value().data();
        float[] c = rbm.hiddenBias().value().data();
        double[] state = new double[units];
        // Log-sum-exp in one pass: the sum is kept relative to the largest term so far.
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int code = 0; code < 1 << units; code++) {
            for (int i = 0; i < units; i++) {
                state[i] = (code >>> i) & 1;
            }
            double term = overVisible ? -freeEnergy(w, b, c, visible, hidden, state, VisibleUnits.BERNOULLI)
                    : hiddenLogWeight(rbm.units(), w, b, c, visible, hidden, state);
            if (term > max) {
                sum = sum * Math.exp(max - term) + 1;
                max = term;
            } else {
                sum += Math.exp(term - max);
            }
        }
        double logZ = max + Math.log(sum);
        return rbm.units() == VisibleUnits.GAUSSIAN ? logZ + 0.5 * visible * Math.log(2 * Math.PI) : logZ;
    }

    /**
     * The mean log-likelihood of the n rows of v (n, V), exactly: {@code mean(−F(v)) − log Z},
     * with F in double. For Gaussian units it is a log density.
     *
     * @param rbm the RBM
     * @param v the visible values, row-major, (n, V) from {@code offV}
     * @param offV the index in {@code v} of the first row's first value
     * @param n the number of rows, {@code >= 1}
     * @return the mean log-likelihood (a log density for Gaussian units)
     */
    public static double logLikelihood(Rbm rbm, float[] v, int offV, int n) {
        rbm.checkVisible(v, offV, n, false);
        double logZ = logPartition(rbm);
        float[] w = rbm.weight().value().data();
        float[] b = rbm.visibleBias().value().data();
        float[] c = rbm.hiddenBias().value().data();
        double[] row = new double[rbm.visible()];
        double sum = 0;
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < row.length; i++) {
                row[i] = v[offV + r * row.length + i];
            }
            sum -= freeEnergy(w, b, c, rbm.visible(), rbm.hidden(), row, rbm.units());
        }
        return sum / n - logZ;
    }

    /** F(v) in double. */
    static double freeEnergy(float[] w, float[] b, float[] c, int visible, int hidden, double[] v,
                             VisibleUnits units) {
        double energy = 0;
        for (int i = 0; i < visible; i++) {
            energy += units == VisibleUnits.BERNOULLI ? -b[i] * v[i] : 0.5 * (v[i] - b[i]) * (v[i] - b[i]);
        }
        for (int j = 0; j < hidden; j++) {
            double x = c[j];
            for (int i = 0; i < visible; i++) {
                x += w[j * visible + i] * v[i];
            }
            energy -= Rbm.softplus(x);
        }
        return energy;
    }

    /**
     * log of the sum over v of e^(−E(v, h)) for one hidden state h: Bernoulli
     * {@code cᵀh + Σ_i softplus(b_i + (Wᵀh)_i)}; Gaussian {@code cᵀh + ||b + Wᵀh||²/2 − ||b||²/2}
     * (without the (2π)^(V/2) factor).
     */
    private static double hiddenLogWeight(VisibleUnits units, float[] w, float[] b, float[] c, int visible,
                                          int hidden, double[] h) {
        double sum = 0;
        for (int j = 0; j < hidden; j++) {
            sum += c[j] * h[j];
        }
        for (int i = 0; i < visible; i++) {
            double x = b[i];
            for (int j = 0; j < hidden; j++) {
                x += w[j * visible + i] * h[j];
            }
            sum += units == VisibleUnits.BERNOULLI ? Rbm.softplus(x) : 0.5 * (x * x - (double) b[i] * b[i]);
        }
        return sum;
    }
}
