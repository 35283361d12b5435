package dev.lanes.kernels.panama.gemm;

import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.panama.support.PanamaTail;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packing for {@link PanamaGemm}: copies blocks of op(A) and op(B) into the contiguous,
 * zero-padded layouts the micro-kernels read with unit stride. The transposes are handled here,
 * so the micro-kernels only ever see one layout.
 *
 * <ul>
 * <li>A panel: {@code MR} rows of op(A) over a K block, k-major: element (r, p) at
 * {@code p * MR + r}; rows past the end of op(A) are zeros.</li>
 * <li>B strip: {@code width} columns of op(B) over a K block, k-major, row stride {@code stride}
 * (1, 2 or 3 vectors): element (p, j) at {@code p * stride + j}; columns past the end are zeros.</li>
 * </ul>
 */
final class PanamaGemmPacking {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final int L = F.length();
    private static final int MR = PanamaGemmMicroKernel.MR;
    /**
     * The 8 x 8 transposes run on the kernels' own species F, 8 lanes of it under a mask when F is
     * wider; at 128 bits (4 lanes) the packing stays scalar.
     *
     * <p>Why not 256-bit vectors at every width, as before: C2 inlines the Vector API's instance
     * methods (FloatVector.intoArray calls {@code length()} and {@code vspecies()} on its receiver,
     * FloatVector.fromArray calls {@code fromArray0} on the species' dummy vector) by the receiver
     * types profiled inside those JDK methods, one profile shared by every caller in the JVM. A
     * vector produced by a late-inlined intrinsic has no exact type when the caller is parsed, so
     * the profile decides: one class (over 90% of the receivers) gives a guarded call that folds
     * away, two classes give a two-way type switch whose branches merge the vector as an object, so
     * C2 cannot eliminate its box and allocates every vector loaded or stored (packB's row copies
     * became an allocation per vector). With 256-bit transposes next to 512-bit kernels, the share
     * of Float256Vector in those profiles is whatever the shapes run so far made it. Only code in
     * the interpreter or C1 adds to a profile: after a K = 9 product, whose few transposes stayed
     * there long after the hot 512-bit methods had reached C2 and stopped counting, the share was
     * many times larger than after a long-K product (the counts are in docs/BENCHMARKS.md, issue
     * 20's third session). Every method C2 compiled after a skinny-K product was then slower for
     * the rest of the JVM's life, and which shape came first decided it. With one species
     * everywhere the profiles are monomorphic whatever the call history.
     */
    private static final boolean TRANSPOSE = L >= 8;
    /** The low 8 lanes of F: what the transposes store (all lanes at 256 bits). */
    private static final VectorMask<Float> EIGHT = F.indexInRange(0, 8);
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    // Two-vector selections (index.selectFrom(first, second)) on the low 8 lanes: 0-7 pick from the
    // first vector, 8-15 from the second. On int lanes each is one vpermi2d; rearrange(shuffle, second)
    // took two vpermps and a blend, and a float index vector converted its indices to int every time.
    private static final IntVector PAIRS_LOW = indices(0, 8, 1, 9, 2, 10, 3, 11);
    private static final IntVector PAIRS_HIGH = indices(4, 12, 5, 13, 6, 14, 7, 15);
    private static final IntVector QUADS_LOW = indices(0, 1, 8, 9, 2, 3, 10, 11);
    private static final IntVector QUADS_HIGH = indices(4, 5, 12, 13, 6, 7, 14, 15);
    private static final IntVector HALVES_LOW = indices(0, 1, 2, 3, 8, 9, 10, 11);
    private static final IntVector HALVES_HIGH = indices(4, 5, 6, 7, 12, 13, 14, 15);

    private PanamaGemmPacking() {
    }

    /**
     * An index vector of I for an 8-lane selection: an index of the second vector (8-15) becomes
     * L + (index - 8); lanes past the eighth select lane 0 (they are never stored). Null at 128 bits.
     */
    private static IntVector indices(int... eight) {
        if (!TRANSPOSE) {
            return null;
        }
        int[] lanes = new int[L];
        for (int i = 0; i < 8; i++) {
            lanes[i] = eight[i] < 8 ? eight[i] : L + eight[i] - 8;
        }
        return IntVector.fromArray(I, lanes, 0);
    }

    /**
     * Whether {@link #transpose8x8} may load whole vectors of F from the eight rows at a[src], row
     * stride lda: the last row's vector ends inside a (at 512 bits it reads 8 floats past the block).
     */
    private static boolean fits8x8(float[] a, int src, int lda) {
        return src + 7 * lda + L <= a.length;
    }

    /**
     * Packs rows [i0, i0 + rows) and columns [p0, p0 + kc) of op(A) into consecutive panels of MR
     * rows at dst[0]: panel q at {@code q * kc * MR}. op(A) is A (m, k) with row stride lda, or
     * A^T when transA (A stored (k, m)).
     */
    static void packA(float[] dst, boolean transA, float[] a, int offA, int lda,
                      int i0, int rows, int p0, int kc) {
        for (int q = 0; q * MR < rows; q++) {
            int panelRows = Math.min(MR, rows - q * MR);
            int d = q * kc * MR;
            int i = i0 + q * MR;
            if (transA) {
                packPanelTransposed(dst, d, a, offA + p0 * lda + i, lda, panelRows, kc);
            } else {
                packPanel(dst, d, a, offA + i * lda + p0, lda, panelRows, kc);
            }
        }
    }

    /**
     * A stored (m, k): each of the panel's rows is contiguous in p, so packing is a transpose. A
     * full panel goes 8 x 8 blocks at a time through {@link #transpose8x8} (two-vector selections,
     * about three times faster than eight scalar loads and stores per p); the rest is scalar.
     */
    private static void packPanel(float[] dst, int d, float[] a, int src, int lda, int rows, int kc) {
        int p = 0;
        if (rows == MR && TRANSPOSE) {
            for (; p + 8 <= kc && fits8x8(a, src + p, lda); p += 8) {
                transpose8x8(dst, d + p * MR, MR, a, src + p, lda);
            }
        }
        for (; p < kc; p++) {
            int o = d + p * MR;
            for (int r = 0; r < MR; r++) {
                dst[o + r] = r < rows ? a[src + r * lda + p] : 0f;
            }
        }
    }

    /**
     * dst[o + p * ldd + r] = a[src + r * lda + p] for r, p in [0, 8): eight rows of eight loaded as
     * vectors, transposed in three rounds of two-vector selections on their bits as ints (pairs
     * of elements, then pairs of pairs, then halves), stored as eight vectors ldd apart. The vectors
     * are F's, of which only the low 8 lanes count: whole ones loaded (the caller checks
     * {@link #fits8x8}), 8 lanes stored. The loads and stores are written out here rather than in
     * helpers: the masked stores' checks made C2 stop inlining such helpers (node count), and a
     * vector passed to a call is boxed.
     */
    private static void transpose8x8(float[] dst, int o, int ldd, float[] a, int src, int lda) {
        IntVector r0 = FloatVector.fromArray(F, a, src).reinterpretAsInts();
        IntVector r1 = FloatVector.fromArray(F, a, src + lda).reinterpretAsInts();
        IntVector r2 = FloatVector.fromArray(F, a, src + 2 * lda).reinterpretAsInts();
        IntVector r3 = FloatVector.fromArray(F, a, src + 3 * lda).reinterpretAsInts();
        IntVector r4 = FloatVector.fromArray(F, a, src + 4 * lda).reinterpretAsInts();
        IntVector r5 = FloatVector.fromArray(F, a, src + 5 * lda).reinterpretAsInts();
        IntVector r6 = FloatVector.fromArray(F, a, src + 6 * lda).reinterpretAsInts();
        IntVector r7 = FloatVector.fromArray(F, a, src + 7 * lda).reinterpretAsInts();
        IntVector t0 = PAIRS_LOW.selectFrom(r0, r1);
        IntVector t1 = PAIRS_HIGH.selectFrom(r0, r1);
        IntVector t2 = PAIRS_LOW.selectFrom(r2, r3);
        IntVector t3 = PAIRS_HIGH.selectFrom(r2, r3);
        IntVector t4 = PAIRS_LOW.selectFrom(r4, r5);
        IntVector t5 = PAIRS_HIGH.selectFrom(r4, r5);
        IntVector t6 = PAIRS_LOW.selectFrom(r6, r7);
        IntVector t7 = PAIRS_HIGH.selectFrom(r6, r7);
        IntVector u0 = QUADS_LOW.selectFrom(t0, t2);
        IntVector u1 = QUADS_HIGH.selectFrom(t0, t2);
        IntVector u2 = QUADS_LOW.selectFrom(t1, t3);
        IntVector u3 = QUADS_HIGH.selectFrom(t1, t3);
        IntVector u4 = QUADS_LOW.selectFrom(t4, t6);
        IntVector u5 = QUADS_HIGH.selectFrom(t4, t6);
        IntVector u6 = QUADS_LOW.selectFrom(t5, t7);
        IntVector u7 = QUADS_HIGH.selectFrom(t5, t7);
        HALVES_LOW.selectFrom(u0, u4).reinterpretAsFloats().intoArray(dst, o, EIGHT);
        HALVES_HIGH.selectFrom(u0, u4).reinterpretAsFloats().intoArray(dst, o + ldd, EIGHT);
        HALVES_LOW.selectFrom(u1, u5).reinterpretAsFloats().intoArray(dst, o + 2 * ldd, EIGHT);
        HALVES_HIGH.selectFrom(u1, u5).reinterpretAsFloats().intoArray(dst, o + 3 * ldd, EIGHT);
        HALVES_LOW.selectFrom(u2, u6).reinterpretAsFloats().intoArray(dst, o + 4 * ldd, EIGHT);
        HALVES_HIGH.selectFrom(u2, u6).reinterpretAsFloats().intoArray(dst, o + 5 * ldd, EIGHT);
        HALVES_LOW.selectFrom(u3, u7).reinterpretAsFloats().intoArray(dst, o + 6 * ldd, EIGHT);
        HALVES_HIGH.selectFrom(u3, u7).reinterpretAsFloats().intoArray(dst, o + 7 * ldd, EIGHT);
    }

    /** A stored (k, m): the panel's MR elements at one p are contiguous. */
    private static void packPanelTransposed(float[] dst, int d, float[] a, int src, int lda, int rows, int kc) {
        for (int p = 0; p < kc; p++) {
            int o = d + p * MR;
            int s = src + p * lda;
            if (rows == MR) {
                System.arraycopy(a, s, dst, o, MR);
            } else {
                for (int r = 0; r < MR; r++) {
                    dst[o + r] = r < rows ? a[s + r] : 0f;
                }
            }
        }
    }

    /**
     * Packs rows [p0, p0 + kc) and columns [j0, j0 + width) of op(B) at dst[d] as consecutive strips
     * of {@code nr} columns (3 vectors): strip s at {@code d + s * kc * nr}, row stride nr, and the last
     * strip's row stride rounded up to whole vectors only, zero-padded. op(B) is B (k, n) with row
     * stride ldb, or B^T when transB (B stored (n, k)).
     */
    static void packB(float[] dst, int d, int nr, boolean transB, float[] b, int offB, int ldb,
                      int p0, int kc, int j0, int width) {
        if (transB) {
            for (int s = 0; s * nr < width; s++) {
                int w = Math.min(nr, width - s * nr);
                packStripTransposed(dst, d + s * kc * nr, roundUp(w), b, offB + (j0 + s * nr) * ldb + p0, ldb, kc, w);
            }
            return;
        }
        int full = width / nr;
        int tail = width - full * nr;
        int src = offB + p0 * ldb + j0;
        // row by row across all strips: each row of B is read as one contiguous run
        for (int p = 0; p < kc; p++) {
            int row = src + p * ldb;
            for (int s = 0; s < full; s++) {
                int o = d + s * kc * nr + p * nr;
                for (int j = 0; j < nr; j += L) {
                    FloatVector.fromArray(F, b, row + s * nr + j).intoArray(dst, o + j);
                }
            }
            if (tail > 0) {
                copyPadded(dst, d + full * kc * nr + p * roundUp(tail), b, row + full * nr, tail);
            }
        }
    }

    /** Copies w (less than a strip) floats and zero-pads them to whole vectors. */
    private static void copyPadded(float[] dst, int o, float[] b, int s, int w) {
        int j = 0;
        for (; j + L <= w; j += L) {
            FloatVector.fromArray(F, b, s + j).intoArray(dst, o + j);
        }
        if (j < w) {
            float[] from = b;
            int at = s + j;
            if (!PanamaTail.fits(b, at)) { // not past the end of b: from a copy (see PanamaTail)
                from = PanamaTail.copyIn(w - j, b, at, null, 0);
                at = PanamaTail.IN0;
            }
            FloatVector.fromArray(F, from, at, F.indexInRange(j, w)).intoArray(dst, o + j);
        }
    }

    /** x rounded up to whole vectors. */
    static int roundUp(int x) {
        return (x + L - 1) / L * L;
    }

    /**
     * B stored (n, k): each column of the strip is a contiguous run in p, written with a stride. Eight
     * columns by eight p at a time go through {@link #transpose8x8}, the rest element by element.
     * Scalar throughout, this packing took most of LeNet C3's weight gradient (batch 64: eight
     * 16 x 150 x 800 products with B transposed, where the 150 x 800 B serves only two A panels).
     */
    private static void packStripTransposed(float[] dst, int d, int stride, float[] b, int src, int ldb,
                                            int kc, int width) {
        int j = 0;
        if (TRANSPOSE) {
            int pEnd = kc - kc % 8;
            for (; j + 8 <= width; j += 8) {
                int s = src + j * ldb;
                int p = 0;
                for (; p < pEnd && fits8x8(b, s + p, ldb); p += 8) {
                    transpose8x8(dst, d + p * stride + j, stride, b, s + p, ldb);
                }
                for (; p < kc; p++) {
                    for (int c = 0; c < 8; c++) {
                        dst[d + p * stride + j + c] = b[s + c * ldb + p];
                    }
                }
            }
        }
        for (; j < width; j++) {
            int s = src + j * ldb;
            for (int p = 0; p < kc; p++) {
                dst[d + p * stride + j] = b[s + p];
            }
        }
        if (width < stride) {
            for (int p = 0; p < kc; p++) {
                int o = d + p * stride;
                for (int c = width; c < stride; c++) {
                    dst[o + c] = 0f;
                }
            }
        }
    }

    /** C (m, n) at c[offC], row stride ldc, = beta * C; beta == 0 writes zeros without reading C. */
    static void scale(float[] c, int offC, int ldc, int m, int n, float beta) {
        if (beta == 1f) {
            return;
        }
        FloatVector vb = FloatVector.broadcast(F, beta);
        int bound = F.loopBound(n);
        for (int i = 0; i < m; i++) {
            int row = offC + i * ldc;
            int j = 0;
            if (beta == 0f) {
                for (; j < bound; j += L) {
                    FloatVector.zero(F).intoArray(c, row + j);
                }
                for (; j < n; j++) {
                    c[row + j] = 0f;
                }
            } else {
                for (; j < bound; j += L) {
                    FloatVector.fromArray(F, c, row + j).mul(vb).intoArray(c, row + j);
                }
                for (; j < n; j++) {
                    c[row + j] = c[row + j] * beta;
                }
            }
        }
    }
}
