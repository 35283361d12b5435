package dev.lanes.kernels.panama.gemm;

import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.spi.GemmKernel;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector GEMM: packed panels, cache blocking and a register-tiled FMA micro-kernel.
 *
 * <p>Blocking (Goto's scheme): a K block of {@link #KC} keeps one packed B strip (KC x 3 vectors)
 * near L1 while the micro-kernel sweeps the panels of a packed A block (at most {@link #MC} rows x
 * KC, about 200 KB, inside the 1 MB L2 of a core). B is packed once per (N block, K block) and
 * shared by every thread; each task packs its own A block into a buffer of its thread.
 *
 * <p>Threads split C into independent blocks: row blocks of A times column ranges of the B block.
 * K is never split: every element of C is one FMA chain over each K block in order, then
 * {@code alpha * acc + beta' * C}, with beta' = beta for the first K block and 1 after it. None
 * of this depends on the thread count or on which thread runs a block, so the bits do not
 * either. Row and column splits are chosen for balance only.
 *
 * <p>When the whole of op(A) fits one row block (m up to MC, the wide and the long-K shapes of
 * convolutions), B is used by few panels, so a shared packed block would be written out and read
 * back once for little reuse. Instead, a small untransposed B (up to 2 MB) is read in place by
 * the micro-kernels, and a larger one is packed a group of 8 strips at a time (rows of B read as
 * long runs) into a buffer of the task and swept at once, while in L2.
 *
 * <p>Packing buffers belong to the threads (one {@link Workspace} each, kept in a thread local),
 * so a call allocates nothing once they exist.
 */
public final class PanamaGemm implements GemmKernel {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final int L = F.length();
    private static final int MR = PanamaGemmMicroKernel.MR;
    /** Columns of a full micro-tile: three vectors. */
    static final int NR = 3 * L;
    /** K block: a B strip of KC x NR floats is 48 KB at 512 bits, streamed from L1/L2. */
    static final int KC = 256;
    /** Rows of an A block (a multiple of MR): 192 x 256 floats = 192 KB, a fifth of L2. */
    static final int MC = 192;
    /** Columns of a shared B block: 256 x 64 strips (3072 columns at 512 bits) = 3 MB, in L3. */
    static final int NC = 64 * NR;
    /** B is packed GROUP strips at a time, reading rows of B as runs of GROUP x NR floats. */
    static final int GROUP = 8;
    /** Untransposed B up to this many floats (2 MB) is read in place when m is at most MC. */
    static final long IN_PLACE_B = 512L * 1024;
    /**
     * Below this many multiply-adds (m * n * k, 96^3: a few microseconds of work) one thread is
     * faster than handing work to the others, and safer when the machine is oversubscribed and
     * a helper thread may not get a core for a while.
     */
    static final long PARALLEL_WORK = 96L * 96 * 96;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int offA, int lda,
                      float[] b, int offB, int ldb,
                      float beta, float[] c, int offC, int ldc) {
        if (alpha == 0f || k == 0) {
            // BLAS: A and B are not read; C = beta * C (zeros when beta == 0, even over NaN)
            PanamaGemmPacking.scale(c, offC, ldc, m, n, beta);
            return;
        }
        Workspace workspace = WORKSPACE.get();
        GemmCall call = workspace.call;
        if (call.busy) {
            // a re-entrant call on this thread (from inside a task): use a fresh context
            call = new GemmCall();
        }
        call.busy = true;
        try {
            call.run(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
        } finally {
            call.clear();
            call.busy = false;
        }
    }

    /** The packing buffers of one thread. */
    static final class Workspace {
        final GemmCall call = new GemmCall();
        /** A block: MC x KC. */
        final float[] a = new float[MC * KC];
        /** A group of B strips for the one-row-block path: KC x GROUP NR. */
        final float[] strips = new float[KC * NR * GROUP];
        /** A partial micro-tile before it is merged into C. */
        final float[] tile = new float[MR * NR];
        /** The shared B block this thread packs when it is the caller; allocated on first use. */
        float[] bBlock;

        float[] bBlock() {
            if (bBlock == null) {
                bBlock = new float[KC * NC];
            }
            return bBlock;
        }
    }

    /**
     * One sgemm call: its arguments, the plan, and the tasks handed to {@link Parallel#forEach}.
     * Reused by the calling thread, so a call allocates nothing.
     */
    static final class GemmCall implements Parallel.Task {
        private static final int PACK_B = 0;
        private static final int SHARED = 1;
        private static final int PRIVATE = 2;

        boolean busy;
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

        private boolean threaded;
        private int panels;
        private int rowBlocks;
        private int colChunks;
        private int phase;
        private float[] bBlock;
        private int jc;
        private int nc;
        private int pc;
        private int kc;
        /** K is cut into blocks of equal size, at most KC: no short, inefficient last block. */
        private int kBlock;
        private boolean inPlaceB;

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
                    phase = PACK_B;
                    tasks(ceilDiv(ceilDiv(nc, NR), GROUP));
                    phase = SHARED;
                    tasks(rowBlocks * colChunks);
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
            phase = PRIVATE;
            tasks(rowBlocks * colChunks);
        }

        private void tasks(int count) {
            if (threaded) {
                Parallel.forEach(count, this);
            } else {
                for (int t = 0; t < count; t++) {
                    run(t);
                }
            }
        }

        @Override
        public void run(int task) {
            switch (phase) {
                case PACK_B -> packGroupOfBlock(task);
                case SHARED -> computeShared(task / colChunks, task % colChunks);
                default -> computePrivate(task / colChunks, task % colChunks);
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
            for (int s = firstStrip; s < endStrip; s++) {
                int j = s * NR;
                int width = Math.min(NR, nc - j);
                sweep(workspace, kc, bBlock, s * kc * NR, stride(width), width, i0, rows, jc + j, betaNow);
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

    /** The packed row stride of a B strip of this width: 1, 2 or 3 vectors. */
    private static int stride(int width) {
        return ceilDiv(width, L) * L;
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
