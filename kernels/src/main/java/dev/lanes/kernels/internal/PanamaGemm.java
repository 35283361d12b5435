package dev.lanes.kernels.internal;

import dev.lanes.kernels.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector GEMM, first version: rows of C in parallel, each row built as a sum of rows of op(B)
 * scaled by broadcast elements of op(A). No packing or blocking yet.
 */
public final class PanamaGemm implements GemmKernel {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int offA, int lda,
                      float[] b, int offB, int ldb,
                      float beta, float[] c, int offC, int ldc) {
        boolean product = alpha != 0f && k > 0;
        float[] bRows = b;
        int bOffset = offB;
        int bStride = ldb;
        if (product && transB) {
            bRows = new float[k * n];
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    bRows[p * n + j] = b[offB + j * ldb + p];
                }
            }
            bOffset = 0;
            bStride = n;
        }
        float[] kb = bRows;
        int kbOffset = bOffset;
        int kbStride = bStride;
        Parallel.forEach(m, i -> {
            int row = offC + i * ldc;
            scaleRow(c, row, n, beta);
            if (product) {
                for (int p = 0; p < k; p++) {
                    float aip = alpha * (transA ? a[offA + p * lda + i] : a[offA + i * lda + p]);
                    axpyRow(c, row, aip, kb, kbOffset + p * kbStride, n);
                }
            }
        });
    }

    private static void scaleRow(float[] c, int row, int n, float beta) {
        if (beta == 1f) {
            return;
        }
        for (int j = 0; j < n; j++) {
            c[row + j] = beta == 0f ? 0f : beta * c[row + j];
        }
    }

    private static void axpyRow(float[] c, int row, float s, float[] b, int bRow, int n) {
        int j = 0;
        FloatVector scale = FloatVector.broadcast(F, s);
        for (int bound = F.loopBound(n); j < bound; j += F.length()) {
            FloatVector bv = FloatVector.fromArray(F, b, bRow + j);
            FloatVector cv = FloatVector.fromArray(F, c, row + j);
            bv.fma(scale, cv).intoArray(c, row + j);
        }
        for (; j < n; j++) {
            c[row + j] = Math.fma(s, b[bRow + j], c[row + j]);
        }
    }
}
