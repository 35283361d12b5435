package dev.lanes.unsupervised;

/**
 * The baseline density model of binary images: every pixel an independent Bernoulli variable
 * with its own probability, {@code p_i = (ones_i + 1) / (count + 2)} from the training data
 * (add-one smoothing, so that a pixel never seen on still has a probability). Its log-likelihood is
 * exact: {@code Σ_i v_i log p_i + (1 − v_i) log(1 − p_i)} per image.
 */
public final class IndependentPixels {
    private final double[] probabilities;

    private IndependentPixels(double[] probabilities) {
        this.probabilities = probabilities;
    }

    /**
     * The model fitted to {@code count} binary rows of {@code data} (count, visible).
     *
     * @param data the rows, row-major, at least {@code count} of them
     * @param count the number of rows used, from the first, {@code >= 1}
     * @param visible V, the pixels per row
     * @return the fitted model
     */
    public static IndependentPixels fit(float[] data, int count, int visible) {
        Matrices.requireRows("IndependentPixels", "data", data, 0, count, visible);
        Matrices.requireValues("IndependentPixels", "data", data, 0, count, visible, true, false);
        return new IndependentPixels(probabilities(data, count, visible));
    }

    /** p_i, with add-one smoothing, of {@code count} rows of {@code data}. */
    static double[] probabilities(float[] data, int count, int visible) {
        Matrices.requireRows("IndependentPixels", "data", data, 0, count, visible);
        double[] ones = new double[visible];
        for (int row = 0; row < count; row++) {
            for (int i = 0; i < visible; i++) {
                ones[i] += data[row * visible + i];
            }
        }
        for (int i = 0; i < visible; i++) {
            ones[i] = (ones[i] + 1) / (count + 2.0);
        }
        return ones;
    }

    /** {@return the probability of each pixel being 1 (a copy)} */
    public double[] probabilities() {
        return probabilities.clone();
    }

    /**
     * The mean log-likelihood, in nats per image, of {@code count} binary rows of {@code data}.
     *
     * @param data the rows, row-major, at least {@code count} of them
     * @param count the number of rows used, from the first, {@code >= 1}
     * @return the mean log-likelihood, in nats per image
     */
    public double logLikelihood(float[] data, int count) {
        int visible = probabilities.length;
        Matrices.requireRows("IndependentPixels", "data", data, 0, count, visible);
        Matrices.requireValues("IndependentPixels", "data", data, 0, count, visible, true, false);
        double sum = 0;
        for (int row = 0; row < count; row++) {
            for (int i = 0; i < visible; i++) {
                double p = probabilities[i];
                sum += data[row * visible + i] == 1f ? Math.log(p) : Math.log1p(-p);
            }
        }
        return sum / count;
    }
}
