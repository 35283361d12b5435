package dev.lanes.gradcheck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.loss.Loss;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The checker itself: it passes right gradients, catches wrong ones, and says where. */
class GradCheckTest {
    private static final Tensor X = Values.uniform(Shape.of(3, 4), 5, -2, 2);

    @Test
    void aRightFunctionPassesWithAFullJacobian() {
        GradCheckResult result = GradCheck.function("square", x -> x.mul(x), (x, g) -> g.mul(x).mul(2f)).input(X)
                .check();
        assertEquals(Mode.FULL, result.mode());
        assertEquals(12L * 12, result.comparisons());
        assertTrue(result.worstRatio() < 0.5, result.toString());
    }

    @Test
    void aWrongSignFailsWithAReportNamingEverything() {
        GradCheckFailure failure = assertThrows(GradCheckFailure.class, () -> GradCheck.function("square",
                x -> x.mul(x), (x, g) -> g.mul(x).mul(-2f)).input(X).seed(1234).check());
        String message = failure.getMessage();
        assertTrue(message.contains("square"), message);
        assertTrue(message.contains("variable:  input"), message);
        assertTrue(message.matches("(?s).*where: +d output\\[\\d, \\d] / d input\\[\\d, \\d].*"), message);
        assertTrue(message.contains("numeric:") && message.contains("analytic:"), message);
        assertTrue(message.contains("tolerance"), message);
        assertTrue(message.contains("seed 1234"), message);
        assertEquals("input", failure.variable());
        assertEquals(1234, failure.seed());
        assertEquals(12, failure.failingComparisons(), message); // every diagonal entry is wrong
        Comparison worst = failure.worst();
        assertEquals(-worst.numeric(), worst.analytic(), 1e-2 * Math.abs(worst.numeric()), message);
    }

    @Test
    void randomDirectionsCatchAMissingFactorOnLargeInputs() {
        Tensor big = Values.uniform(Shape.of(40, 30), 9, -2, 2);
        GradCheckResult ok = GradCheck.function("cube", x -> x.mul(x).mul(x), (x, g) -> g.mul(x).mul(x).mul(3f))
                .input(big).check();
        assertEquals(Mode.DIRECTIONS, ok.mode());
        // Each direction, then the last entry and the random probes.
        assertEquals(AbstractCheck.DEFAULT_DIRECTIONS + 1 + AbstractCheck.DEFAULT_PROBES, ok.comparisons());
        GradCheckFailure failure = assertThrows(GradCheckFailure.class, () -> GradCheck.function("cube",
                x -> x.mul(x).mul(x), (x, g) -> g.mul(x).mul(x)).input(big).randomDirections(3).check());
        assertTrue(failure.getMessage().contains("direction"), failure.getMessage());
        assertEquals(Mode.DIRECTIONS, failure.result().mode());
    }

    @Test
    void randomDirectionsCatchOneWrongElementOfAModerateInput() {
        Tensor x0 = Values.uniform(Shape.of(8, 25), 11, -2, 2);
        FunctionCheck.Vjp oneWrong = (x, g) -> {
            Tensor d = g.mul(x).mul(2f);
            d.set(3, 7, -d.get(3, 7));
            return d;
        };
        assertThrows(GradCheckFailure.class, () -> GradCheck.function("square", x -> x.mul(x), oneWrong).input(x0)
                .randomDirections(4).check());
    }

    /**
     * One wrong entry (its sign flipped) of a (32, 2001) input gradient, at a random place, on
     * the checker's own kink-free inputs: caught at 19 or more of 20 seeds, while the right
     * gradient passes at all 20.
     */
    @Test
    void oneWrongElementOfALargeInputIsCaughtAtNineteenOfTwentySeeds() {
        Shape shape = Shape.of(32, 2001);
        int caught = 0;
        StringBuilder missed = new StringBuilder();
        for (long seed = 0; seed < 20; seed++) {
            Tensor x = Values.kinkFree(shape, 900 + seed);
            SplittableRandom random = new SplittableRandom(seed);
            int row = random.nextInt(32);
            int column = random.nextInt(2001);
            FunctionCheck.Vjp oneWrong = (in, g) -> {
                Tensor d = g.mul(in).mul(2f);
                d.set(row, column, -d.get(row, column));
                return d;
            };
            GradCheck.function("square", in -> in.mul(in), (in, g) -> g.mul(in).mul(2f)).input(x).seed(seed).check();
            try {
                GradCheck.function("square", in -> in.mul(in), oneWrong).input(x).seed(seed).check();
                missed.append(" seed ").append(seed).append(" at [").append(row).append(", ").append(column)
                        .append("] x = ").append(x.get(row, column));
            } catch (GradCheckFailure expected) {
                caught++;
            }
        }
        assertTrue(caught >= 19, "caught at " + caught + " of 20 seeds; missed" + missed);
    }

    /** The float32 tolerance is tight enough that a gradient 0.5% too large fails. */
    @Test
    void aGradientHalfAPercentTooLargeFails() {
        Tensor x = Values.kinkFree(Shape.of(3, 4), 12);
        GradCheck.function("cube", in -> in.mul(in).mul(in), (in, g) -> g.mul(in).mul(in).mul(3f)).input(x).check();
        assertThrows(GradCheckFailure.class, () -> GradCheck.function("cube", in -> in.mul(in).mul(in),
                (in, g) -> g.mul(in).mul(in).mul(3f * 1.005f)).input(x).check());
    }

    @Test
    void doubleFunctionsNameTheInputThatIsWrong() {
        DoubleFunctionCheck.Forward product = in -> new double[] {in[0][0] * in[1][0] * in[1][1]};
        GradCheckResult ok = GradCheck.doubleFunction("x*y0*y1", product, (in, g) -> new double[][] {
                {g[0] * in[1][0] * in[1][1]}, {g[0] * in[0][0] * in[1][1], g[0] * in[0][0] * in[1][0]}})
                .input("x", new double[] {2}, 1).input("y", new double[] {3, -0.5}, 2).check();
        assertEquals(Precision.FLOAT64, ok.precision());
        assertTrue(ok.maxError() < 1e-8, ok.toString());
        GradCheckFailure failure = assertThrows(GradCheckFailure.class, () -> GradCheck.doubleFunction("x*y0*y1",
                product, (in, g) -> new double[][] {{g[0] * in[1][0] * in[1][1]},
                        {g[0] * in[0][0] * in[1][0], g[0] * in[0][0] * in[1][1]}}) // y's entries swapped
                .input("x", new double[] {2}, 1).input("y", new double[] {3, -0.5}, 2).check());
        assertEquals("y", failure.variable());
    }

    @Test
    void doubleModeIsTightEnoughToSeeAOneInAMillionError() {
        DoubleFunctionCheck.Forward exp = in -> new double[] {Math.exp(in[0][0])};
        assertThrows(GradCheckFailure.class, () -> GradCheck.doubleFunction("exp", exp,
                (in, g) -> new double[][] {{g[0] * Math.exp(in[0][0]) * (1 + 1e-5)}})
                .input("x", new double[] {0.3}, 1).check());
        GradCheck.doubleFunction("exp", exp, (in, g) -> new double[][] {{g[0] * Math.exp(in[0][0])}})
                .input("x", new double[] {0.3}, 1).check();
    }

    @Test
    void aRightLayerPassesForInputAndEveryParameter() {
        ScaleShift layer = new ScaleShift(4, 3, ScaleShift.Bug.NONE);
        GradCheckResult result = GradCheck.layer(layer).input(X).check();
        assertEquals(12L * 12 + 12 * 4 + 12 * 4, result.comparisons());
    }

    @Test
    void eachPlantedLayerBugIsCaughtAndNamed() {
        assertEquals("input", layerFailure(ScaleShift.Bug.INPUT_SIGN).variable());
        assertEquals("bias", layerFailure(ScaleShift.Bug.BIAS_MISSING).variable());
        assertEquals("weight", layerFailure(ScaleShift.Bug.WEIGHT_INDEX).variable());
        // The check starts from nonzero parameter gradients, so overwriting them is a bug it sees.
        GradCheckFailure overwrite = layerFailure(ScaleShift.Bug.OVERWRITE_INSTEAD_OF_ACCUMULATE);
        assertTrue(overwrite.variable().equals("weight") || overwrite.variable().equals("bias"),
                overwrite.getMessage());
        String message = layerFailure(ScaleShift.Bug.INPUT_SIGN).getMessage();
        assertTrue(message.contains("ScaleShift(4) (training) at input (3, 4)"), message);
        assertTrue(message.contains("d output[0, 3] / d input[0, 3]"), message);
    }

    private static GradCheckFailure layerFailure(ScaleShift.Bug bug) {
        return assertThrows(GradCheckFailure.class, () -> GradCheck.layer(new ScaleShift(4, 3, bug)).input(X).check());
    }

    @Test
    void theCheckRestoresParameterValuesAndGradients() {
        ScaleShift layer = new ScaleShift(4, 3, ScaleShift.Bug.NONE);
        for (Parameter p : layer.parameters()) {
            p.grad().fill(0.25f);
        }
        float[] weight = layer.parameters().get(0).value().toArray();
        GradCheck.layer(layer).input(X).check();
        assertArrayEquals(weight, layer.parameters().get(0).value().toArray());
        for (Parameter p : layer.parameters()) {
            assertArrayEquals(Tensor.full(p.shape(), 0.25f).toArray(), p.grad().toArray(), p.name());
        }
    }

    @Test
    void onlyChecksTheNamedVariablesAndRejectsUnknownNames() {
        ScaleShift buggyBias = new ScaleShift(4, 3, ScaleShift.Bug.BIAS_MISSING);
        GradCheckResult result = GradCheck.layer(buggyBias).input(X).only("input", "weight").check();
        assertEquals(12L * 12 + 12 * 4, result.comparisons());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.layer(buggyBias).input(X).only("gamma").check());
        assertTrue(e.getMessage().contains("gamma") && e.getMessage().contains("weight"), e.getMessage());
    }

    @Test
    void aShapeGivesARandomKinkFreeInputFromTheSeed() {
        GradCheckResult result = GradCheck.layer(new ScaleShift(3, 1, ScaleShift.Bug.NONE)).input(2, 3).seed(8)
                .check();
        assertEquals(8, result.seed());
        assertThrows(IllegalStateException.class, () -> GradCheck.layer(new ScaleShift(3, 1, ScaleShift.Bug.NONE))
                .check());
    }

    /** A layer that adds fresh noise on every forward, like dropout in training. */
    private static final class Noisy implements Layer {
        SplittableRandom random = new SplittableRandom(1);

        @Override
        public String name() {
            return "Noisy";
        }

        @Override
        public Shape outputShape(Shape inputShape) {
            return inputShape;
        }

        @Override
        public Tensor forward(Tensor input, boolean training) {
            return input.add((float) random.nextDouble());
        }

        @Override
        public Tensor backward(Tensor gradOutput) {
            return gradOutput.copy();
        }
    }

    @Test
    void aRandomLayerIsRefusedUntilItsRandomnessIsFixed() {
        Noisy noisy = new Noisy();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GradCheck.layer(noisy).input(X).check());
        assertTrue(e.getMessage().contains("beforeForward"), e.getMessage());
        GradCheck.layer(noisy).input(X).beforeForward(() -> noisy.random = new SplittableRandom(7)).check();
    }

    /** Mean squared error, with an optional planted bug (a factor 2 missing). */
    private static Loss mse(boolean bug) {
        return new Loss() {
            private Tensor diff;

            @Override
            public String name() {
                return "TestMSE";
            }

            @Override
            public float forward(Tensor prediction, Tensor target) {
                diff = prediction.sub(target);
                return diff.mul(diff).mean();
            }

            @Override
            public Tensor backward() {
                return diff.mul((bug ? 1f : 2f) / diff.size());
            }
        };
    }

    @Test
    void lossesAreCheckedWithRespectToThePrediction() {
        Tensor target = Values.uniform(Shape.of(3, 4), 6, -1, 1);
        GradCheckResult ok = GradCheck.loss(mse(false)).prediction(X).target(target).check();
        assertEquals(12, ok.comparisons());
        GradCheckFailure failure = assertThrows(GradCheckFailure.class,
                () -> GradCheck.loss(mse(true)).prediction(X).target(target).check());
        assertEquals("prediction", failure.variable());
        assertTrue(failure.getMessage().contains("d output / d prediction["), failure.getMessage());
    }

    @Test
    void aNonFiniteOutputAtThePointIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradCheck.function("log",
                Tensor::log, (x, g) -> g.div(x)).input(Tensor.fromArray(new float[] {1, -1}, 2)).check());
        assertTrue(e.getMessage().contains("output[1]"), e.getMessage());
    }

    @Test
    void badOptionsAreRejectedByName() {
        LayerCheck check = GradCheck.layer(new ScaleShift(2, 1, ScaleShift.Bug.NONE));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> check.step(-1)).getMessage().contains("step"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> check.directions(0)).getMessage()
                .contains("directions"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> check.tolerance(Double.NaN, 0)).getMessage()
                .contains("relative"));
    }

    @Test
    void aFixedStepIsUsedAsGiven() {
        Tensor x = Tensor.fromArray(new float[] {0.5f, 1.5f, -3f}, 3);
        GradCheckResult result = GradCheck.function("abs", Tensor::abs, (in, g) -> g.mul(in.div(in.abs())))
                .input(x).step(0.25).check();
        assertEquals(0.25, result.worst().step(), 1e-7);
    }
}
