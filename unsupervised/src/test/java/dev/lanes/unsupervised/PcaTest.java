package dev.lanes.unsupervised;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.range;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PcaTest {
    /**
     * Over generated sizes and spreads: the components are orthonormal eigenvectors of the
     * covariance (computed here in double), with the eigenvalues the full Jacobi decomposition
     * gives, and the mean squared reconstruction error is the variance left out.
     */
    @Test
    void componentsAreTheTopEigenvectorsAndTheErrorIsTheVarianceLeftOut() {
        qt().withExamples(40).forAll(range(2, 40), range(1, 12), RbmCase.seeds()).checkAssert((dimension, k0, seed) -> {
            int k = Math.min(k0, dimension);
            int n = 50 + (int) (seed % 200);
            SplittableRandom random = new SplittableRandom(seed);
            double[] scales = new double[dimension];
            for (int i = 0; i < dimension; i++) {
                scales[i] = 0.1 + 3 * random.nextDouble();
            }
            float[] data = new float[n * dimension];
            for (int row = 0; row < n; row++) {
                double shared = random.nextGaussian();
                for (int i = 0; i < dimension; i++) {
                    data[row * dimension + i] = (float) (scales[i] * random.nextGaussian() + shared * i / dimension + i);
                }
            }
            String where = "dimension " + dimension + ", k " + k + ", n " + n + ", seed " + seed;
            Pca pca = Pca.fit(data, n, dimension, k);
            double[][] covariance = covariance(data, n, dimension);
            SymmetricEigen.Result exact = SymmetricEigen.decompose(covariance);
            double trace = 0;
            for (int i = 0; i < dimension; i++) {
                trace += covariance[i][i];
            }
            float[] w = pca.weights();
            double[] variances = pca.variances();
            double left = trace;
            for (int a = 0; a < k; a++) {
                assertEquals(exact.values()[a], variances[a], 1e-4 * exact.values()[0], where + ", eigenvalue " + a);
                left -= variances[a];
                for (int b = 0; b <= a; b++) {
                    double dot = 0;
                    for (int i = 0; i < dimension; i++) {
                        dot += (double) w[a * dimension + i] * w[b * dimension + i];
                    }
                    assertEquals(a == b ? 1 : 0, dot, 1e-5, where + ", rows " + a + " and " + b);
                }
                for (int i = 0; i < dimension; i++) {
                    double cw = 0;
                    for (int j = 0; j < dimension; j++) {
                        cw += covariance[i][j] * w[a * dimension + j];
                    }
                    assertEquals(variances[a] * w[a * dimension + i], cw, 2e-4 * exact.values()[0],
                            where + ", component " + a + ", entry " + i);
                }
            }
            assertEquals(trace, pca.totalVariance(), 1e-4 * trace, where);
            double error = Prototypes.meanSquaredError(pca.reconstruct(pca.project(data, n), n), data, n);
            assertEquals(Math.max(left, 0), error, 1e-3 * trace, where);
        });
    }

    /** The Jacobi decomposition itself: A v = λ v for every pair, orthonormal vectors, λ descending. */
    @Test
    void jacobiDecomposesSymmetricMatrices() {
        qt().withExamples(50).forAll(range(1, 25), RbmCase.seeds()).checkAssert((n, seed) -> {
            SplittableRandom random = new SplittableRandom(seed);
            double[][] a = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    a[i][j] = random.nextGaussian();
                    a[j][i] = a[i][j];
                }
            }
            SymmetricEigen.Result result = SymmetricEigen.decompose(a);
            for (int e = 0; e < n; e++) {
                if (e > 0) {
                    assertEquals(true, result.values()[e] <= result.values()[e - 1], "order, seed " + seed);
                }
                double[] v = result.vectors()[e];
                for (int i = 0; i < n; i++) {
                    double av = 0;
                    for (int j = 0; j < n; j++) {
                        av += a[i][j] * v[j];
                    }
                    assertEquals(result.values()[e] * v[i], av, 1e-9, "n " + n + ", seed " + seed + ", pair " + e);
                }
                for (int f = 0; f <= e; f++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += v[i] * result.vectors()[f][i];
                    }
                    assertEquals(e == f ? 1 : 0, dot, 1e-9, "seed " + seed);
                }
            }
        });
    }

    private static double[][] covariance(float[] data, int n, int dimension) {
        double[] mean = new double[dimension];
        for (int row = 0; row < n; row++) {
            for (int i = 0; i < dimension; i++) {
                mean[i] += data[row * dimension + i] / (double) n;
            }
        }
        double[][] c = new double[dimension][dimension];
        for (int row = 0; row < n; row++) {
            for (int i = 0; i < dimension; i++) {
                for (int j = 0; j < dimension; j++) {
                    c[i][j] += (data[row * dimension + i] - mean[i]) * (data[row * dimension + j] - mean[j]) / n;
                }
            }
        }
        return c;
    }

    @Test
    void badArgumentsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(new float[8], 4, 2, 3));
        assertEquals("Pca: components must be in 1..2 for dimension 2, got 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(new float[2], 1, 2, 1));
        assertEquals("Pca: needs at least 2 rows, got 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(new float[] {0, 1, Float.NaN, 2}, 2, 2, 1));
        assertEquals("Pca: data value NaN at row 1, column 0 is not finite", e.getMessage());
        Pca pca = Pca.fit(new float[] {0, 1, 2, 2, 4, 1}, 3, 2, 1);
        e = assertThrows(IllegalArgumentException.class, () -> pca.project(new float[3], 2));
        assertEquals("Pca: data needs 2 rows of 2 values (4 floats) from offset 0, but the array holds 3",
                e.getMessage());
    }
}
