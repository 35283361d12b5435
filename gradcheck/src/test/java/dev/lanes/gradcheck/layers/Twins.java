package dev.lanes.gradcheck.layers;

import static dev.lanes.gradcheck.layers.LayerLaws.values;

import dev.lanes.gradcheck.reference.BatchNormReference;
import dev.lanes.gradcheck.reference.DenseReference;
import dev.lanes.layers.BatchNorm;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Tensor;
import java.util.SplittableRandom;

/** Double references holding the same parameter values as a float layer, and parameter randomizers. */
final class Twins {
    private Twins() {
    }

    static DenseReference of(Dense dense) {
        return new DenseReference(dense.inFeatures(), dense.outFeatures(), values(dense.weight().value()),
                dense.bias() == null ? null : values(dense.bias().value()));
    }

    static BatchNormReference of(BatchNorm bn) {
        return new BatchNormReference(bn.channels(), bn.epsilon(), bn.momentum(),
                bn.weight() == null ? null : values(bn.weight().value()),
                bn.bias() == null ? null : values(bn.bias().value()), values(bn.runningMean()),
                values(bn.runningVar()));
    }

    /** Overwrites a parameter with values uniform on [low, high) from the seed. */
    static void randomize(Parameter p, long seed, double low, double high) {
        randomize(p.value(), seed, low, high);
    }

    static void randomize(Tensor t, long seed, double low, double high) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = t.data();
        for (int i = 0; i < t.size(); i++) {
            data[t.offset() + i] = (float) random.nextDouble(low, high);
        }
    }
}
