package dev.lanes.kernels.panama.pool;

import dev.lanes.kernels.panama.support.PanamaSpecies;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The first maximum of a plane for global max pooling ({@link PoolTasks.Global}): NaN first, then
 * the largest value, the smallest index among equal ones.
 */
final class PanamaGlobalPool {
    private static final VectorSpecies<Float> F = PanamaSpecies.FLOAT;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);

    private PanamaGlobalPool() {
    }

    /**
     * Lane l keeps the first maximum among elements l, l + lanes, ...; the winner is the lane (or
     * tail element) with the largest key and, among equal keys, the smallest index: the first
     * maximum of the plane, as the scalar scan finds it.
     */
    static int globalMaxIndex(float[] in, int src, int plane) {
        int bound = F.loopBound(plane);
        int best = 0;
        if (bound > 0) {
            IntVector bestKey = IntVector.broadcast(I, Integer.MIN_VALUE);
            IntVector bestIndex = IntVector.zero(I);
            IntVector lanes = IntVector.zero(I).addIndex(1);
            for (int j = 0; j < bound; j += F.length()) {
                FloatVector v = FloatVector.fromArray(F, in, src + j);
                // keys as in vectorMax
                IntVector bits = v.reinterpretAsInts();
                IntVector key = bits.lanewise(VectorOperators.XOR,
                        bits.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7fffffff));
                key = key.blend(Integer.MAX_VALUE, v.test(VectorOperators.IS_NAN).cast(I));
                VectorMask<Integer> greater = key.compare(VectorOperators.GT, bestKey);
                bestKey = bestKey.blend(key, greater);
                bestIndex = bestIndex.blend(lanes.add(j), greater);
            }
            best = bestIndex.lane(0);
            for (int l = 1; l < F.length(); l++) {
                int index = bestIndex.lane(l);
                int order = Float.compare(in[src + index], in[src + best]);
                if (order > 0 || (order == 0 && index < best)) {
                    best = index;
                }
            }
        }
        for (int j = bound; j < plane; j++) {
            if ((bound == 0 && j == 0) || Float.compare(in[src + j], in[src + best]) > 0) {
                best = j;
            }
        }
        return best;
    }
}
