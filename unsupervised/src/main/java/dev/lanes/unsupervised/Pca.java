package dev.lanes.unsupervised;

import dev.lanes.kernels.Gemm;

/**
 * Principal component analysis: the directions of largest variance of centred data, the
 * eigenvectors of the covariance matrix {@code C = (1/count)·Σ (x − μ)(x − μ)ᵀ} with the largest
 * eigenvalues. A row is projected to {@code W (x − μ)} (W the components, (k, D)) and
 * reconstructed as {@code μ + Wᵀ code}; the mean squared reconstruction error over the fitted data
 * is the sum of the eigenvalues left out.
 *
 * <p>The covariance is one GEMM over the centred data; its top k eigenvectors come from subspace
 * (orthogonal) iteration on a block of k + 8 vectors in double, {@code Q ← orth(C·Q)}, finished
 * by the Rayleigh-Ritz step (the eigenvectors of {@code QᵀCQ}, by {@link SymmetricEigen}).
 */
public final class Pca {
    private static final int EXTRA = 8;
    private static final int MAX_ITERATIONS = 3000;
    private final int dimension;
    private final int components;
    private final float[] mean;
    private final float[] weights;
    private final double[] variances;
    private final double totalVariance;

    private Pca(int dimension, int components, float[] mean, float[] weights, double[] variances, double total) {
        this.dimension = dimension;
        this.components = components;
        this.mean = mean;
        this.weights = weights;
        this.variances = variances;
        this.totalVariance = total;
    }

    /**
     * The first {@code components} principal components of {@code count} rows of {@code data}
     * (count, dimension).
     *
     * @param data the rows, row-major, at least {@code count} of them
     * @param count the number of rows used, from the first, {@code >= 1}
     * @param dimension D, the values per row
     * @param components k, the number of components, in [1, dimension]
     * @return the fitted PCA
     * @throws IllegalArgumentException for bad sizes, fewer than 2 rows, or a non-finite value
     */
    public static Pca fit(float[] data, int count, int dimension, int components) {
        if (dimension < 1 || components < 1 || components > dimension) {
            throw new IllegalArgumentException("Pca: components must be in 1.." + dimension + " for dimension "
                    + dimension + ", got " + components);
        }
        if (count < 2) {
            throw new IllegalArgumentException("Pca: needs at least 2 rows, got " + count);
        }
        Matrices.requireRows("Pca", "data", data, 0, count, dimension);
        Matrices.requireValues("Pca", "data", data, 0, count, dimension, false, false);
        double[] meanSum = new double[dimension];
        for (int row = 0; row < count; row++) {
            for (int i = 0; i < dimension; i++) {
                meanSum[i] += data[row * dimension + i];
            }
        }
        float[] mean = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            mean[i] = (float) (meanSum[i] / count);
        }
        float[] centred = new float[count * dimension];
        for (int row = 0; row < count; row++) {
            for (int i = 0; i < dimension; i++) {
                centred[row * dimension + i] = data[row * dimension + i] - mean[i];
            }
        }
        float[] covariance = new float[dimension * dimension];
        Gemm.sgemm(true, false, dimension, dimension, count, 1f / count, centred, 0, dimension, centred, 0, dimension,
                0f, covariance, 0, dimension);
        double[][] c = new double[dimension][dimension];
        double total = 0;
        for (int i = 0; i < dimension; i++) {
            for (int j = 0; j < dimension; j++) {
                // symmetrised: the GEMM's two triangles may differ in the last bit
                c[i][j] = 0.5 * ((double) covariance[i * dimension + j] + covariance[j * dimension + i]);
            }
            total += c[i][i];
        }
        SymmetricEigen.Result top = topEigenvectors(c, components);
        float[] weights = new float[components * dimension];
        double[] variances = new double[components];
        for (int k = 0; k < components; k++) {
            variances[k] = top.values()[k];
            for (int i = 0; i < dimension; i++) {
                weights[k * dimension + i] = (float) top.vectors()[k][i];
            }
        }
        return new Pca(dimension, components, mean, weights, variances, total);
    }

    /** Subspace iteration with Rayleigh-Ritz; returns at least k eigenpairs, descending. */
    private static SymmetricEigen.Result topEigenvectors(double[][] c, int k) {
        int n = c.length;
        int block = Math.min(n, k + EXTRA);
        if (block == n) {
            return SymmetricEigen.decompose(c);
        }
        double[][] q = new double[block][n];
        java.util.SplittableRandom random = new java.util.SplittableRandom(n * 31L + k);
        for (int b = 0; b < block; b++) {
            for (int i = 0; i < n; i++) {
                q[b][i] = random.nextGaussian();
            }
        }
        orthonormalise(q);
        double[] previous = new double[k];
        SymmetricEigen.Result ritz = null;
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[][] product = multiply(c, q);
            if (iteration % 10 == 9 || iteration == MAX_ITERATIONS - 1) {
                ritz = rayleighRitz(q, product);
                boolean converged = true;
                for (int i = 0; i < k; i++) {
                    converged &= Math.abs(ritz.values()[i] - previous[i]) <= 1e-12 * Math.abs(ritz.values()[0]);
                    previous[i] = ritz.values()[i];
                }
                if (converged) {
                    break;
                }
            }
            q = product;
            orthonormalise(q);
        }
        double[][] vectors = new double[block][n];
        for (int i = 0; i < block; i++) {
            for (int b = 0; b < block; b++) {
                double weight = ritz.vectors()[i][b];
                for (int j = 0; j < n; j++) {
                    vectors[i][j] += weight * q[b][j];
                }
            }
        }
        return new SymmetricEigen.Result(ritz.values(), vectors);
    }

    /** The eigen decomposition of Qᵀ C Q, given the rows of Q and of (C Q)ᵀ. */
    private static SymmetricEigen.Result rayleighRitz(double[][] q, double[][] product) {
        int block = q.length;
        double[][] small = new double[block][block];
        for (int a = 0; a < block; a++) {
            for (int b = 0; b < block; b++) {
                small[a][b] = dot(q[a], product[b]);
            }
        }
        for (int a = 0; a < block; a++) {
            for (int b = a + 1; b < block; b++) {
                double average = 0.5 * (small[a][b] + small[b][a]);
                small[a][b] = average;
                small[b][a] = average;
            }
        }
        return SymmetricEigen.decompose(small);
    }

    /** Rows of the result: C·q_b for each row q_b (C symmetric). */
    private static double[][] multiply(double[][] c, double[][] q) {
        double[][] result = new double[q.length][c.length];
        for (int b = 0; b < q.length; b++) {
            for (int i = 0; i < c.length; i++) {
                result[b][i] = dot(c[i], q[b]);
            }
        }
        return result;
    }

    /** Modified Gram-Schmidt on the rows, twice for stability. */
    private static void orthonormalise(double[][] rows) {
        for (int pass = 0; pass < 2; pass++) {
            for (int a = 0; a < rows.length; a++) {
                for (int b = 0; b < a; b++) {
                    double projection = dot(rows[a], rows[b]);
                    for (int i = 0; i < rows[a].length; i++) {
                        rows[a][i] -= projection * rows[b][i];
                    }
                }
                double norm = Math.sqrt(dot(rows[a], rows[a]));
                for (int i = 0; i < rows[a].length; i++) {
                    rows[a][i] = norm > 0 ? rows[a][i] / norm : 0;
                }
            }
        }
    }

    private static double dot(double[] x, double[] y) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[i] * y[i];
        }
        return sum;
    }

    /**
     * k.
     *
     * @return k, the number of components
     */
    public int components() {
        return components;
    }

    /**
     * D.
     *
     * @return D, the values per input
     */
    public int dimension() {
        return dimension;
    }

    /**
     * μ (a copy).
     *
     * @return μ, the mean of the fitted rows (a copy)
     */
    public float[] mean() {
        return mean.clone();
    }

    /** {@return the components W, (k, D) row-major, unit rows (a copy)} */
    public float[] weights() {
        return weights.clone();
    }

    /** {@return the variance along each component (the eigenvalues), descending (a copy)} */
    public double[] variances() {
        return variances.clone();
    }

    /** {@return the total variance of the fitted data, the trace of C} */
    public double totalVariance() {
        return totalVariance;
    }

    /**
     * The codes (count, k) = (x − μ) Wᵀ of {@code count} rows of {@code data}.
     *
     * @param data the rows, row-major, (count, D)
     * @param count the number of rows used, from the first, {@code >= 1}
     * @return the codes, row-major
     */
    public float[] project(float[] data, int count) {
        Matrices.requireRows("Pca", "data", data, 0, count, dimension);
        float[] centred = new float[count * dimension];
        for (int row = 0; row < count; row++) {
            for (int i = 0; i < dimension; i++) {
                centred[row * dimension + i] = data[row * dimension + i] - mean[i];
            }
        }
        float[] codes = new float[count * components];
        Gemm.sgemm(false, true, count, components, dimension, 1f, centred, 0, dimension, weights, 0, dimension, 0f,
                codes, 0, components);
        return codes;
    }

    /**
     * The reconstructions (count, D) = μ + code W of {@code count} codes (count, k).
     *
     * @param codes the codes, row-major, at least {@code count} of them
     * @param count the number of rows used, from the first, {@code >= 1}
     * @return the reconstructions, row-major
     */
    public float[] reconstruct(float[] codes, int count) {
        Matrices.requireRows("Pca", "codes", codes, 0, count, components);
        float[] out = new float[count * dimension];
        for (int row = 0; row < count; row++) {
            System.arraycopy(mean, 0, out, row * dimension, dimension);
        }
        Gemm.sgemm(false, false, count, dimension, components, 1f, codes, 0, components, weights, 0, dimension, 1f,
                out, 0, dimension);
        return out;
    }
}
