package dev.lanes.training.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.schedule.LearningRateSchedule;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Each update rule against steps worked out by hand (the numbers in the comments) and against a
 * double-precision transcription of the paper's algorithm over several random steps.
 */
class OptimizerTest {
    private static final float EXACT = 1e-6f;

    static Parameter parameter(String name, boolean decay, float... values) {
        return new Parameter(name, Tensor.fromArray(values, values.length), decay);
    }

    static void setGrad(Parameter parameter, float... values) {
        parameter.grad().copyFrom(Tensor.fromArray(values, values.length));
    }

    static void assertValues(Parameter parameter, double... expected) {
        float[] actual = parameter.value().toArray();
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], Math.max(EXACT, 2e-6 * Math.abs(expected[i])),
                    parameter.name() + "[" + i + "]");
        }
    }

    @Test
    void plainSgd() {
        Parameter p = parameter("w", true, 1f, -2f);
        Sgd sgd = new Sgd(List.of(p), 0.1);
        setGrad(p, 0.5f, 0.25f);
        sgd.step();
        // 1 - 0.1*0.5 = 0.95; -2 - 0.1*0.25 = -2.025
        assertValues(p, 0.95, -2.025);
        assertArrayEquals(new float[2], p.grad().toArray(), "the step zeroes the gradient");
        assertEquals(1, sgd.steps());
        assertEquals(List.of(), sgd.slotNames());
    }

    @Test
    void momentumAsInSutskever() {
        Parameter p = parameter("w", true, 1f);
        Sgd sgd = new Sgd(List.of(p), 0.1, 0.9, false);
        setGrad(p, 0.5f);
        sgd.step();
        // v = -0.1*0.5 = -0.05; θ = 0.95
        assertValues(p, 0.95);
        assertEquals(-0.05f, sgd.slot(0, 0)[0], EXACT);
        setGrad(p, 0.5f);
        sgd.step();
        // v = 0.9*(-0.05) - 0.05 = -0.095; θ = 0.855
        assertValues(p, 0.855);
        assertEquals(-0.095f, sgd.slot(0, 0)[0], EXACT);
    }

    @Test
    void nesterovHandSteps() {
        Parameter p = parameter("w", true, 1f);
        Sgd sgd = new Sgd(List.of(p), 0.1, 0.9, true);
        setGrad(p, 0.5f);
        sgd.step();
        // v = -0.05; θ = 1 + 0.9*(-0.05) - 0.05 = 0.905
        assertValues(p, 0.905);
        setGrad(p, 0.5f);
        sgd.step();
        // v = 0.9*(-0.05) - 0.05 = -0.095; θ = 0.905 + 0.9*(-0.095) - 0.05 = 0.7695
        assertValues(p, 0.7695);
    }

    @Test
    void nesterovMatchesTheLookAheadFormOnAQuadratic() {
        // f(θ) = a/2·θ², ∇f = a·θ. Sutskever's form: v ← μv − η∇f(θ + μv), θ ← θ + v.
        // The stored parameter must be the look-ahead point θ + μv.
        double a = 1.7;
        double eta = 0.05;
        double mu = 0.8;
        double theta = 2;
        double v = 0;
        Parameter p = parameter("w", true, 2f);
        Sgd sgd = new Sgd(List.of(p), eta, mu, true);
        for (int step = 1; step <= 20; step++) {
            setGrad(p, (float) (a * p.value().get(0)));
            sgd.step();
            v = mu * v - eta * a * (theta + mu * v);
            theta = theta + v;
            assertEquals(theta + mu * v, p.value().get(0), 1e-5, "step " + step);
        }
    }

    @Test
    void adagradHandSteps() {
        Parameter p = parameter("w", true, 1f);
        Adagrad adagrad = new Adagrad(List.of(p), 0.1);
        setGrad(p, 2f);
        adagrad.step();
        // G = 4; θ = 1 - 0.1*2/(1e-10 + 2) = 0.9
        assertValues(p, 0.9);
        setGrad(p, 2f);
        adagrad.step();
        // G = 8; θ = 0.9 - 0.2/√8 = 0.9 - 0.0707107 = 0.8292893
        assertValues(p, 0.8292893);
        assertEquals(8f, adagrad.slot(0, 0)[0]);
    }

    @Test
    void adadeltaHandStep() {
        Parameter p = parameter("w", true, 1f);
        Adadelta adadelta = new Adadelta(List.of(p));
        setGrad(p, 1f);
        adadelta.step();
        // E[g²] = 0.05·1 = 0.05; Δ = -√(0 + 1e-6)/√(0.05 + 1e-6)·1 = -0.001/0.22360903 = -0.00447212
        // E[Δ²] = 0.05·(0.00447212)² = 1.0e-6 (0.99998e-6); θ = 0.99552788
        assertValues(p, 0.99552788);
        assertEquals(0.05f, adadelta.slot(0, 0)[0], EXACT);
        assertEquals(0.99998e-6f, adadelta.slot(0, 1)[0], 1e-11f);
    }

    @Test
    void rmsPropHandStep() {
        Parameter p = parameter("w", true, 1f);
        RmsProp rmsProp = new RmsProp(List.of(p), 0.01);
        setGrad(p, 2f);
        rmsProp.step();
        // E = 0.1·4 = 0.4; θ = 1 - 0.01·2/(√0.4 + 1e-8) = 1 - 0.0316228 = 0.9683772
        assertValues(p, 0.9683772);
    }

    @Test
    void adamFirstStepsByHand() {
        Parameter p = parameter("w", true, 1f, -1f);
        Adam adam = new Adam(List.of(p), 0.1);
        setGrad(p, 0.5f, -3f);
        adam.step();
        // t = 1: m̂ = g, v̂ = g², step = α·g/(|g| + ε) = ±0.1 (to 1e-8 relative)
        assertValues(p, 0.9, -0.9);
        setGrad(p, 0.5f, 1f);
        adam.step();
        // t = 2, element 0: m = 0.9·0.05 + 0.1·0.5 = 0.095, v = 0.999·0.00025 + 0.001·0.25 = 0.00049975
        // m̂ = 0.095/0.19 = 0.5, v̂ = 0.00049975/0.001999 = 0.25: step 0.1 again -> 0.8
        // element 1: m = 0.9·(-0.3) + 0.1·1 = -0.17, v = 0.999·0.009 + 0.001·1 = 0.009991
        // m̂ = -0.894737, v̂ = 4.997999, θ = -0.9 + 0.1·0.894737/2.2356 = -0.8599779
        assertValues(p, 0.8, -0.8599779);
    }

    @Test
    void adamMatchesAlgorithmOneInDouble() {
        SplittableRandom random = new SplittableRandom(505);
        int n = 37;
        float[] initial = new float[n];
        for (int i = 0; i < n; i++) {
            initial[i] = (float) random.nextGaussian();
        }
        Parameter p = parameter("w", true, initial);
        double alpha = 0.01;
        double beta1 = 0.8;
        double beta2 = 0.99;
        double eps = 1e-7;
        Adam adam = new Adam(List.of(p), new LearningRateSchedule.Constant(alpha), beta1, beta2, eps);
        double[] theta = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            theta[i] = initial[i];
        }
        for (int t = 1; t <= 25; t++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) {
                g[i] = (float) random.nextGaussian();
            }
            setGrad(p, g);
            adam.step();
            for (int i = 0; i < n; i++) {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(beta1, t));
                double vHat = v[i] / (1 - Math.pow(beta2, t));
                theta[i] -= alpha * mHat / (Math.sqrt(vHat) + eps);
            }
            float[] actual = p.value().toArray();
            for (int i = 0; i < n; i++) {
                assertEquals(theta[i], actual[i], 1e-5, "seed 505, step " + t + ", element " + i);
            }
        }
    }

    @Test
    void adamWDecaysOnlyDecayParametersAndDecouplesIt() {
        Parameter weight = parameter("weight", true, 1f);
        Parameter bias = parameter("bias", false, 1f);
        AdamW adamW = new AdamW(List.of(weight, bias), new LearningRateSchedule.Constant(0.1), 0.9, 0.999, 1e-8,
                0.01);
        setGrad(weight, 0.5f);
        setGrad(bias, 0.5f);
        adamW.step();
        // weight: 1 - 0.1·(0.5/(0.5 + 1e-8) + 0.01·1) = 0.899; bias: 1 - 0.1 = 0.9
        assertValues(weight, 0.899);
        assertValues(bias, 0.9);
        // Decoupled: the decay did not enter m and v (m = 0.1·g exactly).
        assertEquals(0.05f, adamW.slot(0, 0)[0], EXACT);
    }

    @Test
    void l2AndL1PenaltiesApplyToDecayParametersOnly() {
        Parameter weight = parameter("weight", true, 2f, -1f, 0f);
        Parameter bias = parameter("bias", false, 2f);
        Sgd sgd = new Sgd(List.of(weight, bias), 0.1);
        sgd.l2(0.5).l1(0.25);
        setGrad(weight, 1f, 1f, 1f);
        setGrad(bias, 1f);
        sgd.step();
        // g' = g + 0.5·θ + 0.25·sign(θ): [1 + 1 + 0.25, 1 - 0.5 - 0.25, 1 + 0 + 0] = [2.25, 0.25, 1]
        // θ = [2 - 0.225, -1 - 0.025, 0 - 0.1]; bias: 2 - 0.1·1
        assertValues(weight, 1.775, -1.025, -0.1);
        assertValues(bias, 1.9);
    }

    @Test
    void clippingByGlobalNormKeepsTheDirection() {
        Parameter a = parameter("a", true, 0f);
        Parameter b = parameter("b", true, 0f);
        Sgd sgd = new Sgd(List.of(a, b), 1.0);
        sgd.clipGradientNorm(1);
        setGrad(a, 3f);
        setGrad(b, 4f);
        sgd.step();
        // ‖g‖ = 5 > 1: g·(1/5) = [0.6, 0.8]
        assertValues(a, -0.6);
        assertValues(b, -0.8);
        assertEquals(5.0, sgd.lastGradientNorm(), 1e-12);
        setGrad(a, 0.3f);
        setGrad(b, 0.4f);
        sgd.step();
        // ‖g‖ = 0.5 ≤ 1: unchanged
        assertValues(a, -0.9);
        assertValues(b, -1.2);
    }

    @Test
    void clippingByValueClampsEachElementAndKeepsNaN() {
        Parameter p = parameter("p", true, 0f, 0f, 0f, 0f);
        setGrad(p, 3f, -0.25f, -7f, Float.NaN);
        GradientClipping.clipByValue(List.of(p), 0.5);
        assertArrayEquals(new float[] {0.5f, -0.25f, -0.5f, Float.NaN}, p.grad().toArray());
        Sgd sgd = new Sgd(List.of(p), 1.0);
        sgd.clipGradientValue(0.5);
        setGrad(p, 3f, -0.25f, -7f, 0f);
        sgd.step();
        assertValues(p, -0.5, 0.25, 0.5, 0);
    }

    @Test
    void clippingByNormLeavesNonFiniteGradientsVisible() {
        Parameter p = parameter("p", true, 0f, 0f);
        setGrad(p, Float.POSITIVE_INFINITY, 1f);
        double norm = GradientClipping.clipByGlobalNorm(List.of(p), 1);
        assertEquals(Double.POSITIVE_INFINITY, norm);
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, 1f}, p.grad().toArray());
    }

    @Test
    void scheduleGivesTheRateOfEachStep() {
        Parameter p = parameter("w", true, 0f);
        LearningRateSchedule schedule = new LearningRateSchedule.Step(1.0, 0.5, 2);
        Sgd sgd = new Sgd(List.of(p), schedule, 0, false);
        double expected = 0;
        for (int t = 0; t < 6; t++) {
            assertEquals(schedule.rate(t), sgd.learningRate());
            setGrad(p, 1f);
            sgd.step();
            // rates 1, 1, 0.5, 0.5, 0.25, 0.25
            expected -= new double[] {1, 1, 0.5, 0.5, 0.25, 0.25}[t];
            assertValues(p, expected);
        }
        Parameter q = parameter("w", true, 0f);
        Adam adam = new Adam(List.of(q), 1.0);
        adam.schedule(new LearningRateSchedule.Warmup(4, 0.25, new LearningRateSchedule.Constant(0.1)));
        setGrad(q, 2f);
        adam.step();
        // warm-up t = 0: 0.1·0.25 = 0.025, and Adam's first step is the rate times sign(g)
        assertValues(q, -0.025);
    }

    @Test
    void restoredStateContinuesBitForBit() {
        SplittableRandom random = new SplittableRandom(506);
        float[] start = {0.3f, -0.7f, 1.1f};
        Parameter continuous = parameter("w", true, start.clone());
        Adam reference = new Adam(List.of(continuous), 0.01);
        float[][] gradients = new float[10][3];
        for (float[] g : gradients) {
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) random.nextGaussian();
            }
        }
        for (int t = 0; t < 5; t++) {
            setGrad(continuous, gradients[t]);
            reference.step();
        }
        Parameter restored = parameter("w", true, continuous.value().toArray());
        Adam resumed = new Adam(List.of(restored), 0.01);
        for (int slot = 0; slot < 2; slot++) {
            System.arraycopy(reference.slot(0, slot), 0, resumed.slot(0, slot), 0, 3);
        }
        resumed.restoreSteps(reference.steps());
        for (int t = 5; t < 10; t++) {
            setGrad(continuous, gradients[t]);
            reference.step();
            setGrad(restored, gradients[t]);
            resumed.step();
        }
        assertArrayEquals(continuous.value().toArray(), restored.value().toArray(), "seed 506");
    }

    /**
     * A parameter whose value is a view starting inside a larger array (updated through a copy)
     * ends bit for bit where the same values in an array of their own end, under every rule, and
     * the elements around the view are untouched.
     */
    @Test
    void aValueViewAtAnOffsetIsUpdatedLikeAnArrayOfItsOwn() {
        SplittableRandom random = new SplittableRandom(507);
        float[] start = new float[37];
        for (int i = 0; i < start.length; i++) {
            start[i] = (float) random.nextGaussian();
        }
        float[] backing = new float[start.length + 8];
        java.util.Arrays.fill(backing, 9f);
        System.arraycopy(start, 0, backing, 5, start.length);
        Parameter own = parameter("w", true, start.clone());
        Parameter view = new Parameter("w", Tensor.fromArray(backing, backing.length).narrow(0, 5, start.length), true);
        assertEquals(5, view.value().offset(), "the view must start inside its array");
        List<java.util.function.Function<List<Parameter>, Optimizer>> rules = List.of(
                ps -> new Sgd(ps, 0.1, 0.9, true), ps -> new Adagrad(ps, 0.1), ps -> new Adadelta(ps),
                ps -> new RmsProp(ps, 0.01), ps -> new Adam(ps, 0.01), ps -> new AdamW(ps, 0.01));
        for (var rule : rules) {
            Optimizer a = rule.apply(List.of(own));
            Optimizer b = rule.apply(List.of(view));
            for (int step = 0; step < 4; step++) {
                float[] g = new float[start.length];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) random.nextGaussian();
                }
                setGrad(own, g);
                setGrad(view, g);
                a.step();
                b.step();
            }
            assertArrayEquals(own.value().toArray(), view.value().toArray(), a.name() + " seed 507");
            for (int i = 0; i < backing.length; i++) {
                if (i < 5 || i >= 5 + start.length) {
                    assertEquals(9f, backing[i], a.name() + " wrote outside the view at " + i);
                }
            }
        }
    }

    @Test
    void stateIsAllocatedOnceAndStepsDoNotAllocate() {
        Parameter p = new Parameter("w", Tensor.zeros(64, 64), true);
        Parameter b = new Parameter("b", Tensor.zeros(64), false);
        List<Optimizer> optimizers = List.of(new Sgd(List.of(p, b), 0.1, 0.9, true), new Adagrad(List.of(p, b), 0.1),
                new Adadelta(List.of(p, b)), new RmsProp(List.of(p, b), 0.1), new Adam(List.of(p, b), 0.1),
                new AdamW(List.of(p, b), 0.1));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        for (Optimizer optimizer : optimizers) {
            optimizer.l2(1e-4).l1(1e-5).clipGradientNorm(1).clipGradientValue(0.5);
            float[] slot = optimizer.slotNames().isEmpty() ? null : optimizer.slot(0, 0);
            for (int warm = 0; warm < 2000; warm++) {
                p.grad().fill(0.01f);
                optimizer.step();
            }
            long before = threads.getThreadAllocatedBytes(id);
            for (int step = 0; step < 100; step++) {
                optimizer.step();
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            assertTrue(allocated < 1024, optimizer.name() + " allocated " + allocated + " bytes in 100 steps");
            if (slot != null) {
                assertSame(slot, optimizer.slot(0, 0));
            }
        }
    }

    @Test
    void badHyperparametersAreNamed() {
        Parameter p = parameter("w", true, 0f);
        assertEquals("momentum must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), 0.1, 1.0, false)).getMessage());
        assertEquals("Nesterov momentum needs momentum > 0",
                assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), 0.1, 0, true)).getMessage());
        assertEquals("beta2 must be in [0, 1), got -0.1", assertThrows(IllegalArgumentException.class,
                () -> new Adam(List.of(p), new LearningRateSchedule.Constant(0.1), 0.9, -0.1, 1e-8)).getMessage());
        assertEquals("epsilon must be positive and finite, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> new RmsProp(List.of(p), new LearningRateSchedule.Constant(0.1), 0.9, 0)).getMessage());
        assertEquals("initialRate must be positive and finite, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new Adagrad(List.of(p), -1)).getMessage());
        assertEquals("l2 must be finite and at least 0, got NaN",
                assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), 0.1).l2(Double.NaN))
                        .getMessage());
        assertEquals("maxNorm must be positive, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), 0.1).clipGradientNorm(0))
                        .getMessage());
        assertEquals("an optimizer needs at least one parameter",
                assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), 0.1)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p, p), 0.1)).getMessage()
                .contains("listed twice"));
        assertEquals("slot 2 is outside 0..1 of adam",
                assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(p), 0.1).slot(0, 2)).getMessage());
    }
}
