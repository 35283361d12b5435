package dev.lanes.unsupervised;

import dev.lanes.kernels.Activation;
import dev.lanes.kernels.Activations;
import dev.lanes.kernels.Elementwise;
import dev.lanes.kernels.Gemm;
import dev.lanes.kernels.VectorMath;

/**
 * The log partition function of an {@link Rbm} estimated by annealed importance sampling (Neal,
 * 2001), as Salakhutdinov and Murray ("On the Quantitative Analysis of Deep Belief Networks",
 * ICML 2008) apply it to RBMs.
 *
 * <p>A path of distributions runs from a base model A, whose Z is known, to the RBM B:
 * {@code p*_β(v) = exp((1 − β)·b_Aᵀv + β·bᵀv) · Π_j (1 + exp(β·(c_j + W_j·v)))} for Bernoulli
 * units, where A is independent pixels with biases b_A ({@code log Z_A = Σ_i softplus(b_A,i) +
 * H·log 2}); for Gaussian units {@code p*_β(v) = exp(−||v − b||²/2) · Π_j (...)}, A being
 * N(b, I) ({@code log Z_A = V/2·log 2π + H·log 2}). Each of M runs draws v from A, then for
 * β_1 &lt; ... &lt; β_K = 1 adds {@code log p*_βk(v) − log p*_βk−1(v)} to its log weight and
 * moves v by one Gibbs step that leaves p_βk invariant (h ~ σ(β_k(c + Wv)), then v from
 * σ((1 − β_k)b_A + β_k(b + Wᵀh)), or N(b + β_k·Wᵀh, I)). Then {@code Z_B/Z_A} is estimated by
 * the mean of the weights e^(log w), an unbiased estimate of the ratio (so log Ẑ is low on
 * average, by Jensen's inequality).
 *
 * <p>The runs are the rows of one batch: two GEMMs per temperature. The log weights are summed
 * in double; each increment is a difference of the kernels' float softplus values at two
 * neighbouring temperatures.
 */
public final class AnnealedImportanceSampling {
    /**
     * The estimate and the spread of its runs.
     *
     * @param logPartition     log Ẑ_B = log Z_A + log(mean of the weights)
     * @param lower            log(mean − 3 standard errors of the weights), or −∞ when that is not positive
     * @param upper            log(mean + 3 standard errors)
     * @param logPartitionBase log Z_A
     * @param runs             M
     * @param temperatures     K, the number of β after 0
     * @param logWeights       the M log importance weights (log w, before log Z_A is added)
     */
    public record Estimate(double logPartition, double lower, double upper, double logPartitionBase, int runs,
                           int temperatures, double[] logWeights) {
    }

    private AnnealedImportanceSampling() {
    }

    /**
     * The inverse temperatures of Salakhutdinov and Murray's schedule scaled to {@code count}
     * steps (they used 14,500: steps of 10⁻³ up to 0.5, 10⁻⁴ up to 0.9 and 10⁻⁵ up to 1): evenly
     * spaced in [0, 0.5] for 500/14,500 of them, in [0.5, 0.9] for 4,000/14,500 and in [0.9, 1] for
     * 10,000/14,500. Returns count + 1 values from 0 to 1.
     *
     * @param count the number of inverse temperatures, at least 2
     * @return the inverse temperatures, from 0 to 1
     */
    public static double[] schedule(int count) {
        if (count < 3) {
            throw new IllegalArgumentException("AIS: the schedule needs at least 3 temperatures, got " + count);
        }
        int first = Math.max(1, (int) Math.round(count * 500.0 / 14500));
        int second = Math.max(1, (int) Math.round(count * 4000.0 / 14500));
        int third = count - first - second;
        double[] betas = new double[count + 1];
        for (int k = 0; k <= first; k++) {
            betas[k] = 0.5 * k / first;
        }
        for (int k = 1; k <= second; k++) {
            betas[first + k] = 0.5 + 0.4 * k / second;
        }
        for (int k = 1; k <= third; k++) {
            betas[first + second + k] = 0.9 + 0.1 * k / third;
        }
        betas[count] = 1.0;
        return betas;
    }

    /**
     * The biases of the independent-pixel (base-rate) model of binary data (count, V):
     * {@code log(p_i / (1 − p_i))} with {@code p_i = (ones_i + 1) / (count + 2)} (add-one smoothing,
     * so that no pixel is certain).
     *
     * @param data the rows, row-major, at least {@code count} of them
     * @param count the number of rows used, from the first, {@code >= 1}
     * @param visible V, the values per row
     * @return the biases (V)
     */
    public static float[] baseRateBiases(float[] data, int count, int visible) {
        double[] probabilities = IndependentPixels.probabilities(data, count, visible);
        float[] biases = new float[visible];
        for (int i = 0; i < visible; i++) {
            biases[i] = (float) Math.log(probabilities[i] / (1 - probabilities[i]));
        }
        return biases;
    }

    /**
     * Estimates log Z of {@code rbm} with {@code runs} runs over the inverse temperatures
     * {@code betas} (increasing from 0 to 1, as {@link #schedule} gives).
     *
     * @param rbm the RBM
     * @param baseBiases b_A (V) for Bernoulli units (null: zeros, the uniform distribution); must
     *                   be null for Gaussian units, whose base is N(b, I)
     * @param betas the inverse temperatures, increasing from 0 to 1
     * @param runs the number of annealing runs, {@code >= 1}
     * @param seed       the seed of the runs' random draws
     * @return the estimate of log Z with its bounds
     */
    public static Estimate logPartition(Rbm rbm, float[] baseBiases, double[] betas, int runs, long seed) {
        checkArguments(rbm, baseBiases, betas, runs);
        Runs state = new Runs(rbm, baseBiases, runs, seed);
        state.drawFromBase();
        for (int k = 1; k < betas.length; k++) {
            state.accumulate(betas[k - 1], betas[k]);
            if (k < betas.length - 1) {
                state.transition(betas[k]);
            }
        }
        return state.estimate(betas.length - 1);
    }

    private static void checkArguments(Rbm rbm, float[] baseBiases, double[] betas, int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("AIS: runs must be positive, got " + runs);
        }
        if (rbm.units() == VisibleUnits.GAUSSIAN && baseBiases != null) {
            throw new IllegalArgumentException("AIS: " + rbm.name() + " anneals from N(b, I); base biases apply to "
                    + "Bernoulli units only");
        }
        if (baseBiases != null && baseBiases.length != rbm.visible()) {
            throw new IllegalArgumentException("AIS: base biases need " + rbm.visible() + " values, got "
                    + baseBiases.length);
        }
        if (betas == null || betas.length < 2 || betas[0] != 0 || betas[betas.length - 1] != 1) {
            throw new IllegalArgumentException("AIS: the inverse temperatures must run from 0 to 1");
        }
        for (int k = 1; k < betas.length; k++) {
            if (!(betas[k] > betas[k - 1])) {
                throw new IllegalArgumentException("AIS: the inverse temperatures must increase, but β" + k + " = "
                        + betas[k] + " follows " + betas[k - 1]);
            }
        }
    }

    /** The M runs' states and log weights, and the scratch space of one temperature step. */
    private static final class Runs {
        private final Rbm rbm;
        private final int runs;
        private final float[] baseBiases;
        private final UnitSampler sampler;
        private final float[] visible;
        private final float[] hiddenInputs;
        private final float[] scratch;
        private final float[] hidden;
        private final float[] visibleMeans;
        private final float[] mixedBiases;
        private final double[] logWeights;

        Runs(Rbm rbm, float[] baseBiases, int runs, long seed) {
            this.rbm = rbm;
            this.runs = runs;
            this.baseBiases = baseBiases == null ? new float[rbm.visible()] : baseBiases.clone();
            this.sampler = new UnitSampler(seed);
            this.visible = new float[runs * rbm.visible()];
            this.hiddenInputs = new float[runs * rbm.hidden()];
            this.scratch = new float[runs * rbm.hidden()];
            this.hidden = new float[runs * rbm.hidden()];
            this.visibleMeans = new float[runs * rbm.visible()];
            this.mixedBiases = new float[rbm.visible()];
            this.logWeights = new double[runs];
        }

        private boolean gaussian() {
            return rbm.units() == VisibleUnits.GAUSSIAN;
        }

        /** v ~ A: independent Bernoulli(σ(b_A)), or N(b, I). */
        void drawFromBase() {
            float[] means = gaussian() ? rbm.visibleBias().value().data() : baseBiases.clone();
            if (!gaussian()) {
                VectorMath.sigmoid(means, 0, means, 0, means.length);
            }
            for (int r = 0; r < runs; r++) {
                System.arraycopy(means, 0, visibleMeans, r * rbm.visible(), rbm.visible());
            }
            sample(visibleMeans);
        }

        private void sample(float[] means) {
            int size = runs * rbm.visible();
            float check = gaussian() ? sampler.gaussian(visible, 0, means, 0, size)
                    : sampler.bernoulli(visible, 0, means, 0, size);
            if (!Float.isFinite(check)) {
                throw new ChainDivergedException("AIS: " + rbm.name() + " produced non-finite visible means");
            }
        }

        /** log w += log p*_β(v) − log p*_previous(v) for every run. */
        void accumulate(double previous, double beta) {
            rbm.hiddenInputs(hiddenInputs, 0, visible, 0, runs);
            addSoftplusSums(beta, 1);
            addSoftplusSums(previous, -1);
            if (!gaussian()) {
                float[] b = rbm.visibleBias().value().data();
                int columns = rbm.visible();
                for (int r = 0; r < runs; r++) {
                    double dot = 0;
                    for (int i = 0; i < columns; i++) {
                        dot += ((double) b[i] - baseBiases[i]) * visible[r * columns + i];
                    }
                    logWeights[r] += (beta - previous) * dot;
                }
            }
        }

        /** log w[r] += sign · Σ_j softplus(β·x[r, j]). */
        private void addSoftplusSums(double beta, int sign) {
            int columns = rbm.hidden();
            Elementwise.scale(scratch, 0, (float) beta, hiddenInputs, 0, scratch.length);
            Activations.forward(Activation.SOFTPLUS, scratch, 0, scratch, 0, scratch.length);
            for (int r = 0; r < runs; r++) {
                double sum = 0;
                for (int j = 0; j < columns; j++) {
                    sum += scratch[r * columns + j];
                }
                logWeights[r] += sign * sum;
            }
        }

        /** One Gibbs step leaving p_β invariant, from the hidden inputs of the current v. */
        void transition(double beta) {
            float b = (float) beta;
            Elementwise.scale(scratch, 0, b, hiddenInputs, 0, scratch.length);
            VectorMath.sigmoid(scratch, 0, scratch, 0, scratch.length);
            sampler.bernoulli(hidden, 0, scratch, 0, scratch.length);
            float[] modelBiases = rbm.visibleBias().value().data();
            for (int i = 0; i < mixedBiases.length; i++) {
                mixedBiases[i] = gaussian() ? modelBiases[i] : (1 - b) * baseBiases[i] + b * modelBiases[i];
            }
            int columns = rbm.visible();
            for (int r = 0; r < runs; r++) {
                System.arraycopy(mixedBiases, 0, visibleMeans, r * columns, columns);
            }
            Gemm.sgemm(false, false, runs, columns, rbm.hidden(), b, hidden, 0, rbm.hidden(),
                    rbm.weight().value().data(), 0, columns, 1f, visibleMeans, 0, columns);
            if (!gaussian()) {
                VectorMath.sigmoid(visibleMeans, 0, visibleMeans, 0, visibleMeans.length);
            }
            sample(visibleMeans);
        }

        Estimate estimate(int temperatures) {
            double logBase = 0;
            if (gaussian()) {
                logBase = 0.5 * rbm.visible() * Math.log(2 * Math.PI);
            } else {
                for (float bias : baseBiases) {
                    logBase += Rbm.softplus(bias);
                }
            }
            logBase += rbm.hidden() * Math.log(2);
            double max = Double.NEGATIVE_INFINITY;
            for (double logWeight : logWeights) {
                max = Math.max(max, logWeight);
            }
            double mean = 0;
            for (double logWeight : logWeights) {
                mean += Math.exp(logWeight - max);
            }
            mean /= runs;
            double variance = 0;
            for (double logWeight : logWeights) {
                double d = Math.exp(logWeight - max) - mean;
                variance += d * d;
            }
            double spread = runs > 1 ? 3 * Math.sqrt(variance / (runs - 1) / runs) : 0;
            double shift = logBase + max;
            return new Estimate(shift + Math.log(mean), mean > spread ? shift + Math.log(mean - spread)
                    : Double.NEGATIVE_INFINITY, shift + Math.log(mean + spread), logBase, runs, temperatures,
                    logWeights.clone());
        }
    }
}
