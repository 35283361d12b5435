package dev.lanes.unsupervised;

/**
 * The test oracle: quantities of a small RBM straight from its energy, in double precision, by
 * summing e^(−E(v, h)) over hidden states (and, for {@link #bruteLogPartition}, visible states
 * too). Nothing here uses the free-energy formula or the kernels.
 */
final class ExactRbm {
    private final int visible;
    private final int hidden;
    private final boolean gaussian;
    private final double[] w;
    private final double[] b;
    private final double[] c;

    ExactRbm(Rbm rbm) {
        visible = rbm.visible();
        hidden = rbm.hidden();
        gaussian = rbm.units() == VisibleUnits.GAUSSIAN;
        w = widen(rbm.weight().value().data());
        b = widen(rbm.visibleBias().value().data());
        c = widen(rbm.hiddenBias().value().data());
    }

    static double[] widen(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** The binary state of {@code units} units whose bits make {@code code}. */
    static double[] state(int code, int units) {
        double[] s = new double[units];
        for (int i = 0; i < units; i++) {
            s[i] = (code >>> i) & 1;
        }
        return s;
    }

    /** E(v, h) = −bᵀv − cᵀh − Σ_j h_j W_j·v, or with (v − b)²/2 per visible unit for Gaussian units. */
    double energy(double[] v, double[] h) {
        double energy = 0;
        for (int i = 0; i < visible; i++) {
            energy += gaussian ? 0.5 * (v[i] - b[i]) * (v[i] - b[i]) : -b[i] * v[i];
        }
        for (int j = 0; j < hidden; j++) {
            if (h[j] != 0) {
                double x = c[j];
                for (int i = 0; i < visible; i++) {
                    x += w[j * visible + i] * v[i];
                }
                energy -= h[j] * x;
            }
        }
        return energy;
    }

    /** log Σ_h e^(−E(v, h)) = −F(v). */
    double negativeFreeEnergy(double[] v) {
        double[] terms = new double[1 << hidden];
        for (int code = 0; code < terms.length; code++) {
            terms[code] = -energy(v, state(code, hidden));
        }
        return logSumExp(terms);
    }

    /** P(h_j = 1 | v) for every j, from the joint: Σ_{h: h_j = 1} e^(−E) / Σ_h e^(−E). */
    double[] hiddenMarginals(double[] v) {
        double logNormaliser = negativeFreeEnergy(v);
        double[] marginals = new double[hidden];
        for (int code = 0; code < 1 << hidden; code++) {
            double p = Math.exp(-energy(v, state(code, hidden)) - logNormaliser);
            for (int j = 0; j < hidden; j++) {
                marginals[j] += ((code >>> j) & 1) * p;
            }
        }
        return marginals;
    }

    /** log Σ_v Σ_h e^(−E(v, h)) over all binary pairs (Bernoulli units, V + H small). */
    double bruteLogPartition() {
        double[] terms = new double[1 << visible];
        for (int code = 0; code < terms.length; code++) {
            terms[code] = negativeFreeEnergy(state(code, visible));
        }
        return logSumExp(terms);
    }

    /**
     * log Z of Gaussian units for V = 1 or 2 by quadrature: Σ_h of the integral of e^(−E(v, h))
     * over a grid of step {@code step} reaching 12 standard deviations past every mean (the
     * trapezoid rule on a Gaussian integrand is accurate to far below double rounding there).
     */
    double quadratureLogPartition(double step) {
        double low = -12;
        double high = 12;
        for (int i = 0; i < visible; i++) {
            double reach = Math.abs(b[i]);
            for (int j = 0; j < hidden; j++) {
                reach += Math.abs(w[j * visible + i]);
            }
            low = Math.min(low, -reach - 12);
            high = Math.max(high, reach + 12);
        }
        int points = (int) Math.ceil((high - low) / step) + 1;
        double total = 0;
        double[] v = new double[visible];
        int cells = visible == 1 ? points : points * points;
        for (int cell = 0; cell < cells; cell++) {
            v[0] = low + (cell % points) * step;
            if (visible == 2) {
                v[1] = low + (cell / points) * step;
            }
            total += Math.exp(negativeFreeEnergy(v));
        }
        return Math.log(total) + visible * Math.log(step);
    }

    /**
     * The model's statistics (E[h vᵀ] (H, V), E[v] (V), E[h] (H)) by enumerating h:
     * P(h) ∝ Σ_v e^(−E(v, h)) in closed form per h, and E[v | h] = σ(b + Wᵀh) or b + Wᵀh.
     */
    double[][] modelStatistics() {
        int states = 1 << hidden;
        double[] logWeights = new double[states];
        double[][] visibleMeans = new double[states][visible];
        for (int code = 0; code < states; code++) {
            double[] h = state(code, hidden);
            double logWeight = 0;
            for (int j = 0; j < hidden; j++) {
                logWeight += c[j] * h[j];
            }
            for (int i = 0; i < visible; i++) {
                double x = b[i];
                for (int j = 0; j < hidden; j++) {
                    x += w[j * visible + i] * h[j];
                }
                logWeight += gaussian ? 0.5 * x * x : Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
                visibleMeans[code][i] = gaussian ? x : 1 / (1 + Math.exp(-x));
            }
            logWeights[code] = logWeight;
        }
        double logNormaliser = logSumExp(logWeights);
        double[][] out = {new double[hidden * visible], new double[visible], new double[hidden]};
        for (int code = 0; code < states; code++) {
            double p = Math.exp(logWeights[code] - logNormaliser);
            for (int i = 0; i < visible; i++) {
                out[1][i] += p * visibleMeans[code][i];
            }
            for (int j = 0; j < hidden; j++) {
                if (((code >>> j) & 1) == 1) {
                    out[2][j] += p;
                    for (int i = 0; i < visible; i++) {
                        out[0][j * visible + i] += p * visibleMeans[code][i];
                    }
                }
            }
        }
        return out;
    }

    /** The data's statistics of n rows: mean of P(h | v) vᵀ, of v and of P(h | v), from the joint. */
    double[][] dataStatistics(float[] data, int n) {
        double[][] out = {new double[hidden * visible], new double[visible], new double[hidden]};
        for (int r = 0; r < n; r++) {
            double[] v = new double[visible];
            for (int i = 0; i < visible; i++) {
                v[i] = data[r * visible + i];
            }
            double[] p = hiddenMarginals(v);
            for (int i = 0; i < visible; i++) {
                out[1][i] += v[i] / n;
            }
            for (int j = 0; j < hidden; j++) {
                out[2][j] += p[j] / n;
                for (int i = 0; i < visible; i++) {
                    out[0][j * visible + i] += p[j] * v[i] / n;
                }
            }
        }
        return out;
    }

    static double logSumExp(double[] terms) {
        double max = Double.NEGATIVE_INFINITY;
        for (double t : terms) {
            max = Math.max(max, t);
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - max);
        }
        return max + Math.log(sum);
    }
}
