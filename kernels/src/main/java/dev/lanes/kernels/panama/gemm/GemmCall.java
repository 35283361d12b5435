package dev.lanes.kernels.panama.gemm;

import static dev.lanes.kernels.panama.gemm.PanamaGemm.GROUP;
import static dev.lanes.kernels.panama.gemm.PanamaGemm.IN_PLACE_B;
import static dev.lanes.kernels.panama.gemm.PanamaGemm.KC;
import static dev.lanes.kernels.panama.gemm.PanamaGemm.L;
import static dev.lanes.kernels.panama.gemm.PanamaGemm.MC;
import static dev.lanes.kernels.panama.gemm.PanamaGemm.MR;
import static dev.lanes.kernels.panama.gemm.PanamaGemm.NC;
import static dev.lanes.kernels.panama.gemm.PanamaGemm.NR;
import static dev.lanes.kernels.panama.gemm.PanamaGemm.PARALLEL_WORK;
import static dev.lanes.kernels.panama.gemm.PanamaGemm.SPAN;
import static dev.lanes.kernels.panama.gemm.PanamaGemm.WORKSPACE;
import static dev.lanes.kernels.panama.gemm.PanamaGemm.ceilDiv;
import static dev.lanes.kernels.panama.gemm.PanamaGemm.stride;

import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.panama.gemm.PanamaGemm.Workspace;

/**
 * The task context of one {@link PanamaGemm} call: the operands and the plan, set once per call,
 * the shared B block, set once per pass over it, and the tasks of the passes, which read them.
 * Reused by the calling thread, so a call allocates nothing.
 */
final class GemmCall {
    /** Whether a call is using this context (a task calling sgemm again gets a fresh one). */
    boolean busy;

    // the operands, as sgemm names them: C (m, n) = alpha op(A) op(B) + beta C
    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int k;
    private float alpha;
    private float beta;
    private float[] a;
    private int offA;
    private int lda;
    private float[] b;
    private int offB;
    private int ldb;
    private float[] c;
    private int offC;
    private int ldc;

    // the plan
    private boolean threaded;
    /** Panels of MR rows of op(A). */
    private int panels;
    /** Row blocks of op(A) and the column chunks each is split into: rowBlocks x colChunks tasks. */
    private int rowBlocks;
    private int colChunks;
    /** K is cut into blocks of equal size, at most KC: no short, inefficient last block. */
    private int kBlock;
    /** One row block, B untransposed and small: the micro-kernels read B where it is. */
    private boolean inPlaceB;

    // the shared B block of the pass in progress (several row blocks): columns [jc, jc + nc) and
    // rows [pc, pc + kc) of op(B), packed into bBlock
    private float[] bBlock;
    private int jc;
    private int nc;
    private int pc;
    private int kc;

    /** Packs a group of strips of the shared B block. */
    private final Parallel.Task packGroup = this::packGroupOfBlock;
    /** A row block times a column chunk of the shared B block. */
    private final Parallel.Task sharedBlock = task -> computeShared(task / colChunks, task % colChunks);
    /** A row block times a column chunk of B, when op(A) is one row block. */
    private final Parallel.Task privateBlock = task -> computePrivate(task / colChunks, task % colChunks);

    void run(boolean transA, boolean transB, int m, int n, int k, float alpha,
             float[] a, int offA, int lda, float[] b, int offB, int ldb,
             float beta, float[] c, int offC, int ldc) {
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.alpha = alpha;
        this.beta = beta;
        this.a = a;
        this.offA = offA;
        this.lda = lda;
        this.b = b;
        this.offB = offB;
        this.ldb = ldb;
        this.c = c;
        this.offC = offC;
        this.ldc = ldc;
        int threads = Parallel.threads();
        threaded = threads > 1 && (long) m * n * k >= PARALLEL_WORK;
        panels = ceilDiv(m, MR);
        kBlock = ceilDiv(k, ceilDiv(k, KC));
        rowBlocks = ceilDiv(panels, MC / MR);
        if (rowBlocks == 1) {
            runPrivate(threads);
        } else {
            runShared(threads);
        }
    }

    void clear() {
        a = null;
        b = null;
        c = null;
        bBlock = null;
    }

    /** m > MC: B blocks packed once and shared, tasks over row blocks (and column ranges). */
    private void runShared(int threads) {
        if (threaded && rowBlocks % threads != 0) {
            // more, smaller row blocks so that every thread gets the same number
            rowBlocks = Math.min(panels, ceilDiv(rowBlocks, threads) * threads);
        }
        colChunks = threaded && rowBlocks % threads != 0 ? threads : 1;
        bBlock = WORKSPACE.get().bBlock();
        for (jc = 0; jc < n; jc += NC) {
            nc = Math.min(NC, n - jc);
            for (pc = 0; pc < k; pc += kBlock) {
                kc = Math.min(kBlock, k - pc);
                tasks(ceilDiv(ceilDiv(nc, NR), GROUP), packGroup);
                tasks(rowBlocks * colChunks, sharedBlock);
            }
        }
    }

    /**
     * m <= MC: one row block. With B read in place, tasks split the rows (nothing is packed
     * twice); with B packed, they split the columns (each packs its own strips, and its own
     * copy of the small A block).
     */
    private void runPrivate(int threads) {
        inPlaceB = !transB && (long) k * n <= IN_PLACE_B;
        int strips = ceilDiv(n, NR);
        rowBlocks = threaded && inPlaceB ? Math.min(panels, threads) : 1;
        colChunks = threaded && !inPlaceB ? Math.min(strips, threads) : 1;
        tasks(rowBlocks * colChunks, privateBlock);
    }

    private void tasks(int count, Parallel.Task task) {
        if (threaded) {
            Parallel.forEach(count, task);
        } else {
            for (int t = 0; t < count; t++) {
                task.run(t);
            }
        }
    }

    /** Packs strips [g GROUP, (g + 1) GROUP) of the shared B block. */
    private void packGroupOfBlock(int g) {
        int j = g * GROUP * NR;
        int width = Math.min(GROUP * NR, nc - j);
        PanamaGemmPacking.packB(bBlock, g * GROUP * kc * NR, NR, transB, b, offB, ldb, pc, kc, jc + j, width);
    }

    private void computeShared(int rowBlock, int chunk) {
        Workspace workspace = WORKSPACE.get();
        int firstPanel = (int) ((long) rowBlock * panels / rowBlocks);
        int endPanel = (int) ((long) (rowBlock + 1) * panels / rowBlocks);
        int i0 = firstPanel * MR;
        int rows = Math.min(m, endPanel * MR) - i0;
        PanamaGemmPacking.packA(workspace.a, transA, a, offA, lda, i0, rows, pc, kc);
        int strips = ceilDiv(nc, NR);
        int firstStrip = (int) ((long) chunk * strips / colChunks);
        int endStrip = (int) ((long) (chunk + 1) * strips / colChunks);
        float betaNow = pc == 0 ? beta : 1f;
        // The strips a few at a time (a span, in L2 with the A block), panel by panel across
        // them: the A panel stays in L1 and consecutive tiles of C are neighbours in the same
        // rows, which the prefetchers follow. Strip by strip down the panels, every tile of C
        // began new rows (a new 4 KB page each when C is wide), and a strip (48 KB at 512 bits)
        // did not stay in L1 beside the A panels anyway.
        float[] packedA = workspace.a;
        float[] tile = workspace.tile;
        int spans = ceilDiv(endStrip - firstStrip, SPAN);
        for (int span = 0; span < spans; span++) {
            int s0 = firstStrip + span * (endStrip - firstStrip) / spans;
            int s1 = firstStrip + (span + 1) * (endStrip - firstStrip) / spans;
            for (int q = 0; q * MR < rows; q++) {
                int tileRows = Math.min(MR, rows - q * MR);
                int rowC = offC + (i0 + q * MR) * ldc + jc;
                for (int s = s0; s < s1; s++) {
                    int j = s * NR;
                    int width = Math.min(NR, nc - j);
                    micro(kc, packedA, q * kc * MR, bBlock, s * kc * NR, stride(width), betaNow, rowC + j,
                            tileRows, width, tile);
                }
            }
        }
    }

    private void computePrivate(int rowBlock, int chunk) {
        Workspace workspace = WORKSPACE.get();
        int firstPanel = (int) ((long) rowBlock * panels / rowBlocks);
        int endPanel = (int) ((long) (rowBlock + 1) * panels / rowBlocks);
        int i0 = firstPanel * MR;
        int rows = Math.min(m, endPanel * MR) - i0;
        int strips = ceilDiv(n, NR);
        int firstStrip = (int) ((long) chunk * strips / colChunks);
        int endStrip = (int) ((long) (chunk + 1) * strips / colChunks);
        float[] packed = workspace.strips;
        for (int p0 = 0; p0 < k; p0 += kBlock) {
            int kcNow = Math.min(kBlock, k - p0);
            PanamaGemmPacking.packA(workspace.a, transA, a, offA, lda, i0, rows, p0, kcNow);
            float betaNow = p0 == 0 ? beta : 1f;
            if (inPlaceB) {
                sweepInPlace(workspace, i0, rows, p0, kcNow, betaNow);
                continue;
            }
            // B a group of strips at a time: packed row by row, then swept while in L2
            for (int g = firstStrip; g < endStrip; g += GROUP) {
                int j0 = g * NR;
                int groupWidth = Math.min(Math.min(endStrip - g, GROUP) * NR, n - j0);
                PanamaGemmPacking.packB(packed, 0, NR, transB, b, offB, ldb, p0, kcNow, j0, groupWidth);
                for (int s = 0; s * NR < groupWidth; s++) {
                    int width = Math.min(NR, groupWidth - s * NR);
                    sweep(workspace, kcNow, packed, s * kcNow * NR, stride(width), width, i0, rows,
                            j0 + s * NR, betaNow);
                }
            }
        }
    }

    /**
     * Untransposed B of at most IN_PLACE_B floats with one row block: the micro-kernels read B
     * where it is (row stride ldb) instead of a packed copy. Packing would cost a pass over B
     * for only m / MR panels; the first panel pulls each strip into cache for the others. A
     * larger B streams from L3 or memory better through packing (sequential reads). Only a
     * tail strip narrower than whole vectors is packed (zero-padded).
     */
    private void sweepInPlace(Workspace workspace, int i0, int rows, int p0, int kcNow, float betaNow) {
        for (int j = 0; j < n; j += NR) {
            int width = Math.min(NR, n - j);
            if (width % L == 0) {
                sweep(workspace, kcNow, b, offB + p0 * ldb + j, ldb, width, i0, rows, j, betaNow);
            } else {
                PanamaGemmPacking.packB(workspace.strips, 0, NR, false, b, offB, ldb, p0, kcNow, j, width);
                sweep(workspace, kcNow, workspace.strips, 0, stride(width), width, i0, rows, j, betaNow);
            }
        }
    }

    /**
     * The micro-kernels down the panels of the packed A block (rows [i0, i0 + rows) of op(A))
     * for one B strip of the given width whose row p is at strip[bo + p * bStride].
     */
    private void sweep(Workspace workspace, int kcNow, float[] strip, int bo, int bStride, int width,
                       int i0, int rows, int j, float betaNow) {
        float[] packedA = workspace.a;
        float[] tile = workspace.tile;
        for (int q = 0; q * MR < rows; q++) {
            int tileRows = Math.min(MR, rows - q * MR);
            micro(kcNow, packedA, q * kcNow * MR, strip, bo, bStride, betaNow, offC + (i0 + q * MR) * ldc + j,
                    tileRows, width, tile);
        }
    }

    private void micro(int kcNow, float[] packedA, int ao, float[] strip, int bo, int bStride, float betaNow,
                       int co, int rows, int width, float[] tile) {
        if (width > 2 * L) {
            PanamaGemmMicroKernel.kernel8x3(kcNow, packedA, ao, strip, bo, bStride, alpha, betaNow,
                    c, co, ldc, rows, width, tile);
        } else if (width > L) {
            PanamaGemmMicroKernel.kernel8x2(kcNow, packedA, ao, strip, bo, bStride, alpha, betaNow,
                    c, co, ldc, rows, width, tile);
        } else {
            PanamaGemmMicroKernel.kernel8x1(kcNow, packedA, ao, strip, bo, bStride, alpha, betaNow,
                    c, co, ldc, rows, width, tile);
        }
    }
}
