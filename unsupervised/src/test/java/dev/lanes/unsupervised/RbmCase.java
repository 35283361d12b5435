package dev.lanes.unsupervised;

import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.enumValues;
import static org.quicktheories.generators.Generate.longRange;
import static org.quicktheories.generators.Generate.range;

import java.util.SplittableRandom;
import org.quicktheories.core.Gen;

/**
 * A generated small RBM: its sizes, visible units, the spread of its weights and the seed of its
 * parameters (weights N(0, weightScale²), visible biases N(0, 0.5²), hidden biases N(0, 0.5²)),
 * and data drawn from the same seed: uniform binary rows, or N(0, 1) rows for Gaussian units.
 */
record RbmCase(int visible, int hidden, VisibleUnits units, double weightScale, long seed) {

    /** Cases with 1 to maxVisible visible and 1 to maxHidden hidden units, weights of spread 0.1 to maxScale. */
    static Gen<RbmCase> cases(int maxVisible, int maxHidden, double maxScale, Gen<VisibleUnits> units) {
        return in -> new RbmCase(range(1, maxVisible).generate(in), range(1, maxHidden).generate(in),
                units.generate(in), maxScale * range(1, 10).generate(in) / 10, seeds().generate(in));
    }

    static Gen<VisibleUnits> bothUnits() {
        return enumValues(VisibleUnits.class);
    }

    static Gen<VisibleUnits> bernoulli() {
        return constant(VisibleUnits.BERNOULLI);
    }

    static Gen<Long> seeds() {
        return longRange(0, 1L << 40);
    }

    Rbm build() {
        Rbm rbm = new Rbm(visible, hidden, units, seed);
        SplittableRandom random = new SplittableRandom(seed ^ 0x5eedL);
        fill(rbm.weight().value().data(), random, weightScale);
        fill(rbm.visibleBias().value().data(), random, 0.5);
        fill(rbm.hiddenBias().value().data(), random, 0.5);
        return rbm;
    }

    private static void fill(float[] values, SplittableRandom random, double std) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (std * random.nextGaussian());
        }
    }

    /** n rows of data for this RBM's units, from {@code dataSeed}. */
    float[] data(int n, long dataSeed) {
        SplittableRandom random = new SplittableRandom(dataSeed);
        float[] data = new float[n * visible];
        for (int i = 0; i < data.length; i++) {
            data[i] = units == VisibleUnits.BERNOULLI ? random.nextInt(2) : (float) random.nextGaussian();
        }
        return data;
    }

    @Override
    public String toString() {
        return "RBM(" + visible + " -> " + hidden + ", " + units + ", weights N(0, " + weightScale + "^2), seed "
                + seed + ")";
    }
}
