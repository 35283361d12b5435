package dev.lanes.kernels.panama.gemm;

import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.spi.GemmKernel;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector GEMM: packed panels, cache blocking and a register-tiled FMA micro-kernel.
 *
 * <p>Blocking (Goto's scheme): B is packed once per (N block, K block), {@link #KC} x {@link #NC},
 * and shared by every thread; each task packs its own A block (at most {@link #MC} rows x KC, in
 * L2) into a buffer of its thread, then takes the B block about {@link #SPAN} strips at a time
 * (these stay in L2 too) and runs the micro-kernel panel by panel of the A block (one panel,
 * 8 x KC, stays in L1) across them.
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
    static final int L = F.length();
    static final int MR = PanamaGemmMicroKernel.MR;
    /** Columns of a full micro-tile: three vectors. */
    static final int NR = 3 * L;
    /** K block: a B strip of KC x NR floats is 48 KB at 512 bits, streamed from L2. */
    static final int KC = 256;
    /** Rows of an A block (a multiple of MR): 192 x 256 floats = 192 KB, a fifth of L2. */
    static final int MC = 192;
    /** Columns of a shared B block: 256 x 64 strips (3072 columns at 512 bits) = 3 MB, in L3. */
    static final int NC = 64 * NR;
    /**
     * Strips of the shared B block an A block is swept across at a time, at most: 8 strips
     * (384 KB at 512 bits) and the A block stay in the L2 of a core (1 MB and more).
     */
    static final int SPAN = 8;
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

    static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

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

    /** The packed row stride of a B strip of this width: 1, 2 or 3 vectors. */
    static int stride(int width) {
        return ceilDiv(width, L) * L;
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
