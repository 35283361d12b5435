package dev.lanes.kernels.panama.recurrent;

import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.spi.RecurrentKernel;

/**
 * The fused LSTM and GRU steps on the Vector API ({@link PanamaLstmCell}, {@link PanamaGruCell}),
 * rows split over the kernel pool once a step has enough elements. Each element's result is the
 * same whichever thread computes it, so the bits do not depend on the thread count.
 */
public final class PanamaRecurrent implements RecurrentKernel {
    /**
     * From this many elements (rows x hidden) a step runs on the pool: a forward step costs a few
     * transcendental functions per element (about 0.5 ns each per thread), so 8K elements are
     * 10-20 us of work against a hand-off of about 2 us.
     */
    static final int PARALLEL_ELEMENTS = 1 << 13;

    /** One pass over one row of a step. */
    @FunctionalInterface
    private interface Pass {
        void run(StepCall call, int row, int hidden);
    }

    /*
     * Each step is a few passes per row, each with at most one transcendental function, called
     * through one interface call site that sees several lambdas (already within one step), so C2
     * treats it as megamorphic and compiles each pass as a unit of its own. Calls it could inline
     * would gather several vector tanh and sigmoid loops into one method, past the inlining budget
     * (NodeCountInliningCutoff), and a vector function left out of line boxes its vectors.
     * Arguments: a0..a6 in the order of the kernel method's parameters.
     */
    private static final Pass[] LSTM_FORWARD = {
        (c, r, h) -> PanamaGateActivations.sigmoid(c.a2, c.o2 + r * 4 * h, 2 * h),
        (c, r, h) -> PanamaGateActivations.tanh(c.a2, c.o2 + r * 4 * h + 2 * h, h),
        (c, r, h) -> PanamaGateActivations.sigmoid(c.a2, c.o2 + r * 4 * h + 3 * h, h),
        (c, r, h) -> PanamaLstmCell.cellRow(c.a0, c.o0 + r * h, c.a1, c.o1 + r * h, c.a2, c.o2 + r * 4 * h, c.a3,
                c.o3 + r * h, h),
    };
    private static final Pass[] LSTM_BACKWARD = {
        (c, r, h) -> PanamaLstmCell.cellGradientRow(c.a0, c.o0 + r * 4 * h, c.a1, c.o1 + r * h, c.a2, c.o2 + r * h,
                c.a3, c.o3 + r * 4 * h, c.a4, c.o4 + r * h, h),
        (c, r, h) -> PanamaLstmCell.gateGradientRow(c.a0, c.o0 + r * 4 * h, c.a1, c.o1 + r * h, c.a3,
                c.o3 + r * 4 * h, c.a5, c.o5 + r * h, h),
    };
    private static final Pass[] GRU_FORWARD = {
        (c, r, h) -> PanamaGruCell.addRow(c.a1, c.o1 + r * 3 * h, c.a2, c.o2 + r * 3 * h, h),
        (c, r, h) -> PanamaGateActivations.sigmoid(c.a1, c.o1 + r * 3 * h, 2 * h),
        (c, r, h) -> PanamaGruCell.stateRow(c.a0, c.o0 + r * h, c.a1, c.o1 + r * 3 * h, c.a2, c.o2 + r * 3 * h,
                c.a3, c.o3 + r * h, h),
    };
    private static final Pass[] GRU_BACKWARD = {
        (c, r, h) -> PanamaGruCell.backwardRow(c.a0, c.o0 + r * 3 * h, c.a1, c.o1 + r * 3 * h, c.a2, c.o2 + r * h,
                c.a3, c.o3 + r * h, c.a4, c.o4 + r * 3 * h, c.a5, c.o5 + r * 3 * h, c.a6, c.o6 + r * h, h),
    };

    @Override
    public void lstmForward(float[] h, int offH, float[] c, int offC, float[] gates, int offGates, float[] cPrev,
                            int offCPrev, int rows, int hidden) {
        StepCall call = StepCall.get(LSTM_FORWARD, rows, hidden);
        call.set(h, offH, c, offC, gates, offGates, cPrev, offCPrev, null, 0, null, 0, null, 0);
        call.start();
    }

    @Override
    public void lstmBackward(float[] gradGates, int offGradGates, float[] gradC, int offGradC, float[] gradH,
                             int offGradH, float[] gates, int offGates, float[] c, int offC, float[] cPrev,
                             int offCPrev, int rows, int hidden) {
        StepCall call = StepCall.get(LSTM_BACKWARD, rows, hidden);
        call.set(gradGates, offGradGates, gradC, offGradC, gradH, offGradH, gates, offGates, c, offC, cPrev, offCPrev,
                null, 0);
        call.start();
    }

    @Override
    public void gruForward(float[] h, int offH, float[] gates, int offGates, float[] hiddenGates, int offHiddenGates,
                           float[] hPrev, int offHPrev, int rows, int hidden) {
        StepCall call = StepCall.get(GRU_FORWARD, rows, hidden);
        call.set(h, offH, gates, offGates, hiddenGates, offHiddenGates, hPrev, offHPrev, null, 0, null, 0, null, 0);
        call.start();
    }

    @Override
    public void gruBackward(float[] gradGates, int offGradGates, float[] gradHiddenGates, int offGradHiddenGates,
                            float[] gradHPrev, int offGradHPrev, float[] gradH, int offGradH, float[] gates,
                            int offGates, float[] hiddenGates, int offHiddenGates, float[] hPrev, int offHPrev,
                            int rows, int hidden) {
        StepCall call = StepCall.get(GRU_BACKWARD, rows, hidden);
        call.set(gradGates, offGradGates, gradHiddenGates, offGradHiddenGates, gradHPrev, offGradHPrev, gradH,
                offGradH, gates, offGates, hiddenGates, offHiddenGates, hPrev, offHPrev);
        call.start();
    }

    /**
     * The arguments of one step, reused by the calling thread so that a step on the pool allocates
     * nothing. Task t runs a contiguous block of rows, each row through every pass.
     */
    static final class StepCall implements Parallel.Task {
        private static final ThreadLocal<StepCall> CALLS = ThreadLocal.withInitial(StepCall::new);

        private Pass[] passes;
        private int rows;
        private int hidden;
        private int tasks;
        private float[] a0;
        private float[] a1;
        private float[] a2;
        private float[] a3;
        private float[] a4;
        private float[] a5;
        private float[] a6;
        private int o0;
        private int o1;
        private int o2;
        private int o3;
        private int o4;
        private int o5;
        private int o6;

        static StepCall get(Pass[] passes, int rows, int hidden) {
            StepCall call = CALLS.get();
            call.passes = passes;
            call.rows = rows;
            call.hidden = hidden;
            long elements = (long) rows * hidden;
            call.tasks = (int) Math.min(Math.min(rows, Parallel.threads()), Math.max(1, elements / PARALLEL_ELEMENTS));
            return call;
        }

        void set(float[] a0, int o0, float[] a1, int o1, float[] a2, int o2, float[] a3, int o3, float[] a4, int o4,
                 float[] a5, int o5, float[] a6, int o6) {
            this.a0 = a0;
            this.o0 = o0;
            this.a1 = a1;
            this.o1 = o1;
            this.a2 = a2;
            this.o2 = o2;
            this.a3 = a3;
            this.o3 = o3;
            this.a4 = a4;
            this.o4 = o4;
            this.a5 = a5;
            this.o5 = o5;
            this.a6 = a6;
            this.o6 = o6;
        }

        void start() {
            try {
                if (tasks == 1) {
                    run(0);
                } else {
                    Parallel.forEach(tasks, this);
                }
            } finally {
                passes = null;
                a0 = a1 = a2 = a3 = a4 = a5 = a6 = null;
            }
        }

        @Override
        public void run(int task) {
            int first = (int) ((long) rows * task / tasks);
            int last = (int) ((long) rows * (task + 1) / tasks);
            Pass[] steps = passes;
            for (int r = first; r < last; r++) {
                for (Pass pass : steps) {
                    pass.run(this, r, hidden);
                }
            }
        }
    }
}
