package dev.lanes.bench.report;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's FP32 peak as the Vector API reaches it: a loop of independent FMAs on 16
 * accumulators held in registers (more than latency times throughput, so the FMA ports never
 * wait), no memory traffic.
 */
public final class PanamaPeak {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private PanamaPeak() {
    }

    /** Floating-point operations per call of {@link #run}: 16 accumulators x 2 x lanes x iterations. */
    public static double flops(int iterations) {
        return 16.0 * 2 * F.length() * iterations;
    }

    /** The vector width in bits of the loop. */
    public static int bits() {
        return F.vectorBitSize();
    }

    /** Runs the FMA loop; returns a value derived from every accumulator so none is dead code. */
    public static float run(int iterations, float seed) {
        FloatVector x = FloatVector.broadcast(F, 0.999999f);
        FloatVector y = FloatVector.broadcast(F, 1e-7f * seed);
        FloatVector c0 = FloatVector.broadcast(F, seed);
        FloatVector c1 = c0.add(1f);
        FloatVector c2 = c0.add(2f);
        FloatVector c3 = c0.add(3f);
        FloatVector c4 = c0.add(4f);
        FloatVector c5 = c0.add(5f);
        FloatVector c6 = c0.add(6f);
        FloatVector c7 = c0.add(7f);
        FloatVector c8 = c0.add(8f);
        FloatVector c9 = c0.add(9f);
        FloatVector c10 = c0.add(10f);
        FloatVector c11 = c0.add(11f);
        FloatVector c12 = c0.add(12f);
        FloatVector c13 = c0.add(13f);
        FloatVector c14 = c0.add(14f);
        FloatVector c15 = c0.add(15f);
        for (int i = 0; i < iterations; i++) {
            c0 = c0.fma(x, y);
            c1 = c1.fma(x, y);
            c2 = c2.fma(x, y);
            c3 = c3.fma(x, y);
            c4 = c4.fma(x, y);
            c5 = c5.fma(x, y);
            c6 = c6.fma(x, y);
            c7 = c7.fma(x, y);
            c8 = c8.fma(x, y);
            c9 = c9.fma(x, y);
            c10 = c10.fma(x, y);
            c11 = c11.fma(x, y);
            c12 = c12.fma(x, y);
            c13 = c13.fma(x, y);
            c14 = c14.fma(x, y);
            c15 = c15.fma(x, y);
        }
        FloatVector sum = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7)
                .add(c8).add(c9).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15);
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
