package dev.lanes.unsupervised;

import dev.lanes.kernels.Gemm;
import java.util.Arrays;

/**
 * Sufficient statistics of an {@link Rbm}, in the shapes of its parameters: a weight part (H, V)
 * and bias parts (V) and (H). The log-likelihood gradient is the data's statistics minus the
 * model's: {@code ∂ log P(v)/∂W = E_data[h vᵀ] − E_model[h vᵀ]}, {@code ∂/∂b = E_data[v] −
 * E_model[v]}, {@code ∂/∂c = E_data[h] − E_model[h]} (for Gaussian visible units as well, since
 * {@code ∂E/∂b = −(v − b)}). Contrastive divergence adds the first term from the data and
 * subtracts the second from Gibbs chains, with hidden probabilities in place of samples.
 */
public final class RbmGradient {
    private final int visible;
    private final int hidden;
    private final float[] weight;
    private final float[] visibleBias;
    private final float[] hiddenBias;
    /** The weight part is zero but not yet written (the next product overwrites it instead). */
    private boolean weightZero;

    /**
     * Zero statistics for the RBM's shapes.
     *
     * @param rbm the RBM whose shapes the statistics take
     */
    public RbmGradient(Rbm rbm) {
        this.visible = rbm.visible();
        this.hidden = rbm.hidden();
        this.weight = new float[visible * hidden];
        this.visibleBias = new float[visible];
        this.hiddenBias = new float[hidden];
    }

    /** {@return the weight part, (H, V) row-major (the live array)} */
    public float[] weight() {
        if (weightZero) {
            Arrays.fill(weight, 0f);
            weightZero = false;
        }
        return weight;
    }

    /** {@return the visible-bias part, (V) (the live array)} */
    public float[] visibleBias() {
        return visibleBias;
    }

    /** {@return the hidden-bias part, (H) (the live array)} */
    public float[] hiddenBias() {
        return hiddenBias;
    }

    /** Sets everything to zero. */
    public void zero() {
        weightZero = true;
        Arrays.fill(visibleBias, 0f);
        Arrays.fill(hiddenBias, 0f);
    }

    /**
     * Adds {@code scale} times the statistics of n rows: weight += scale·hᵀv (one GEMM),
     * visibleBias += scale·Σ_rows v, hiddenBias += scale·Σ_rows h. With scale 1/n that is the
     * mean over the rows; v is (n, V) and h (n, H), both row-major. After {@link #zero} the
     * product writes the weight part without reading it (one pass over it fewer).
     *
     * @param scale the factor of the statistics, e.g. 1/n for the mean
     * @param v the visible values, row-major, (n, V) from {@code offV}
     * @param offV the index in {@code v} of the first row's first value
     * @param h the hidden values, row-major, (n, H) from {@code offH}
     * @param offH the index in {@code h} of the first row's first value
     * @param n the number of rows, {@code >= 1}
     */
    public void accumulate(float scale, float[] v, int offV, float[] h, int offH, int n) {
        Matrices.requireRows("RbmGradient", "visible", v, offV, n, visible);
        Matrices.requireRows("RbmGradient", "hidden", h, offH, n, hidden);
        Gemm.sgemm(true, false, hidden, visible, n, scale, h, offH, hidden, v, offV, visible, weightZero ? 0f : 1f,
                weight, 0, visible);
        weightZero = false;
        addColumnSums(visibleBias, scale, v, offV, n, visible);
        addColumnSums(hiddenBias, scale, h, offH, n, hidden);
    }

    /** sums[j] += scale · matrix[offset + row·columns + j] for each row in order. */
    private static void addColumnSums(float[] sums, float scale, float[] matrix, int offset, int rows, int columns) {
        for (int row = 0; row < rows; row++) {
            int start = offset + row * columns;
            for (int j = 0; j < columns; j++) {
                sums[j] += scale * matrix[start + j];
            }
        }
    }

    /** Whether every bias statistic is finite (a non-finite chain state or probability shows here). */
    boolean biasesFinite() {
        float sum = 0;
        for (float value : visibleBias) {
            sum += value;
        }
        for (float value : hiddenBias) {
            sum += value;
        }
        return Float.isFinite(sum);
    }
}
