package dev.lanes.gradcheck.layers;

import static dev.lanes.gradcheck.layers.LayerLaws.values;
import static org.quicktheories.generators.Generate.enumValues;

import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Precision;
import dev.lanes.gradcheck.Values;
import dev.lanes.gradcheck.reference.ElementwiseLossReference;
import dev.lanes.gradcheck.reference.MultiClassHingeReference;
import dev.lanes.gradcheck.reference.ReferenceLoss;
import dev.lanes.gradcheck.reference.SoftmaxCrossEntropyReference;
import dev.lanes.layers.loss.BinaryCrossEntropy;
import dev.lanes.layers.loss.BinaryCrossEntropyWithLogits;
import dev.lanes.layers.loss.Hinge;
import dev.lanes.layers.loss.Loss;
import dev.lanes.layers.loss.MeanAbsoluteError;
import dev.lanes.layers.loss.MeanSquaredError;
import dev.lanes.layers.loss.MultiClassHinge;
import dev.lanes.layers.loss.Reduction;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quicktheories.core.Gen;

/**
 * Every loss, with mean and sum reduction: gradient checks with respect to the prediction, and
 * agreement with the double reference (value and gradient) plus identical bits from a second
 * run; 200 generated cases per loss and property. Predictions stay clear of each loss's kinks
 * and clamps ({@link Values}).
 */
class LossTest {
    enum Case {
        MSE, L1, CROSS_ENTROPY_INDICES, CROSS_ENTROPY_PROBABILITIES, BCE, BCE_WITH_LOGITS, HINGE,
        HINGE_WESTON_WATKINS, HINGE_CRAMMER_SINGER;

        Loss loss(Reduction r) {
            return switch (this) {
                case MSE -> new MeanSquaredError(r);
                case L1 -> new MeanAbsoluteError(r);
                case CROSS_ENTROPY_INDICES, CROSS_ENTROPY_PROBABILITIES -> new SoftmaxCrossEntropy(r);
                case BCE -> new BinaryCrossEntropy(r);
                case BCE_WITH_LOGITS -> new BinaryCrossEntropyWithLogits(r);
                case HINGE -> new Hinge(r);
                case HINGE_WESTON_WATKINS -> new MultiClassHinge(MultiClassHinge.Formulation.WESTON_WATKINS, r);
                case HINGE_CRAMMER_SINGER -> new MultiClassHinge(MultiClassHinge.Formulation.CRAMMER_SINGER, r);
            };
        }

        ReferenceLoss reference(Reduction r) {
            return switch (this) {
                case MSE -> new ElementwiseLossReference(ElementwiseLossReference.Kind.MSE, r);
                case L1 -> new ElementwiseLossReference(ElementwiseLossReference.Kind.L1, r);
                case CROSS_ENTROPY_INDICES -> new SoftmaxCrossEntropyReference(r, true);
                case CROSS_ENTROPY_PROBABILITIES -> new SoftmaxCrossEntropyReference(r, false);
                case BCE -> new ElementwiseLossReference(ElementwiseLossReference.Kind.BCE, r);
                case BCE_WITH_LOGITS -> new ElementwiseLossReference(ElementwiseLossReference.Kind.BCE_WITH_LOGITS, r);
                case HINGE -> new ElementwiseLossReference(ElementwiseLossReference.Kind.HINGE, r);
                case HINGE_WESTON_WATKINS -> MultiClassHingeReference.westonWatkins(r, 1, false);
                case HINGE_CRAMMER_SINGER -> MultiClassHingeReference.crammerSinger(r, 1);
            };
        }

        boolean rowsOfClasses() {
            return switch (this) {
                case CROSS_ENTROPY_INDICES, CROSS_ENTROPY_PROBABILITIES, HINGE_WESTON_WATKINS,
                     HINGE_CRAMMER_SINGER -> true;
                default -> false;
            };
        }

        Gen<Shape> shapes() {
            return rowsOfClasses() ? Gens.matrices(5) : Gens.shapes(1, 3, 4);
        }

        /**
         * The checker's relative step, the float32 default except for binary cross-entropy: at p
         * near its margin 0.05 with a target near p, -log p curves hard against a small slope
         * (truncation h^2 |f'''| / (6 |f'|) reached 1.8% at the default h = 4.9e-3), so it takes
         * h = 1e-3, which cuts that 24-fold to below 1e-3, at 5 times the roundoff (which the
         * tolerance follows).
         */
        double step() {
            return this == BCE ? 1e-3 : Precision.FLOAT32.step();
        }

        /** {prediction, target} for a prediction of this shape, clear of the loss's kinks. */
        Tensor[] data(Shape shape, long seed) {
            double margin = Values.DEFAULT_MARGIN;
            return switch (this) {
                case MSE -> new Tensor[] {Values.uniform(shape, seed, -2, 2), Values.uniform(shape, seed + 1, -2, 2)};
                case L1 -> {
                    Tensor t = Values.uniform(shape, seed + 1, -2, 2);
                    yield new Tensor[] {Values.awayFromTarget(t, seed, margin), t};
                }
                case CROSS_ENTROPY_INDICES -> new Tensor[] {Values.uniform(shape, seed, -3, 3),
                        Values.classIndices(shape.dim(0), shape.dim(1), seed + 1)};
                case CROSS_ENTROPY_PROBABILITIES -> new Tensor[] {Values.uniform(shape, seed, -3, 3),
                        distributions(shape, seed + 1)};
                case BCE -> new Tensor[] {Values.probabilities(shape, seed, margin),
                        Values.uniform(shape, seed + 1, 0, 1)};
                case BCE_WITH_LOGITS -> new Tensor[] {Values.uniform(shape, seed, -4, 4), Values.bits(shape, seed + 1)};
                case HINGE -> {
                    Tensor t = Values.signs(shape, seed + 1);
                    yield new Tensor[] {Values.hingeScores(t, seed, margin), t};
                }
                case HINGE_WESTON_WATKINS, HINGE_CRAMMER_SINGER -> {
                    Tensor y = Values.classIndices(shape.dim(0), shape.dim(1), seed + 1);
                    yield new Tensor[] {Values.multiHingeScores(y, shape.dim(1), seed, margin), y};
                }
            };
        }
    }

    /** Random rows summing to 1 (soft labels), half of them one-hot. */
    static Tensor distributions(Shape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int rows = shape.dim(0);
        int classes = shape.dim(1);
        float[] values = new float[rows * classes];
        for (int n = 0; n < rows; n++) {
            if (random.nextBoolean()) {
                values[n * classes + random.nextInt(classes)] = 1;
                continue;
            }
            double sum = 0;
            double[] w = new double[classes];
            for (int c = 0; c < classes; c++) {
                w[c] = random.nextDouble(0.05, 1);
                sum += w[c];
            }
            for (int c = 0; c < classes; c++) {
                values[n * classes + c] = (float) (w[c] / sum);
            }
        }
        return Tensor.wrap(values, rows, classes);
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void gradients(Case c) {
        Cases.qt(301 + c.ordinal()).forAll(c.shapes(), enumValues(Reduction.class), Gens.seeds())
                .checkAssert((shape, reduction, seed) -> {
                    Tensor[] data = c.data(shape, seed);
                    GradCheck.loss(c.loss(reduction)).prediction(data[0]).target(data[1]).relativeStep(c.step())
                            .seed(seed).check();
                });
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void agreesWithTheReferenceAndRepeats(Case c) {
        Cases.qt(321 + c.ordinal()).forAll(c.shapes(), enumValues(Reduction.class), Gens.seeds())
                .checkAssert((shape, reduction, seed) -> {
                    Tensor[] data = c.data(shape, seed);
                    Loss loss = c.loss(reduction);
                    ReferenceLoss reference = c.reference(reduction);
                    String context = loss.name() + " at prediction " + shape + ", seed " + seed;
                    float value = loss.forward(data[0], data[1]);
                    Tensor grad = loss.backward().copy();
                    double expected = reference.forward(values(data[0]), shape.dims(), values(data[1]));
                    double tolerance = LayerLaws.RELATIVE * (Math.abs(expected) + 1);
                    if (!(Math.abs(value - expected) <= tolerance)) {
                        throw new AssertionError(String.format(Locale.ROOT, "%s: loss %.9g, the double reference "
                                + "gives %.9g (tolerance %.3g)", context, value, expected, tolerance));
                    }
                    LayerLaws.assertClose(context + ": gradient", grad, reference.backward());
                    float again = loss.forward(data[0], data[1]);
                    float[] gradAgain = loss.backward().toArray();
                    if (Float.floatToRawIntBits(again) != Float.floatToRawIntBits(value)
                            || !java.util.Arrays.equals(grad.toArray(), gradAgain)) {
                        throw new AssertionError(context + ": a second identical run gives other bits");
                    }
                });
    }
}
