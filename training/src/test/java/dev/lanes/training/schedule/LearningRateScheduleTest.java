package dev.lanes.training.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.lanes.training.schedule.LearningRateSchedule.Constant;
import dev.lanes.training.schedule.LearningRateSchedule.Cosine;
import dev.lanes.training.schedule.LearningRateSchedule.Exponential;
import dev.lanes.training.schedule.LearningRateSchedule.InverseTime;
import dev.lanes.training.schedule.LearningRateSchedule.Step;
import dev.lanes.training.schedule.LearningRateSchedule.Warmup;
import org.junit.jupiter.api.Test;

/** Expected values are worked out by hand from the formulas in the javadoc. */
class LearningRateScheduleTest {
    private static final double EXACT = 1e-15;

    @Test
    void constant() {
        LearningRateSchedule schedule = new Constant(0.1);
        assertEquals(0.1, schedule.rate(0));
        assertEquals(0.1, schedule.rate(1_000_000));
    }

    @Test
    void stepHalvesEveryThreeSteps() {
        LearningRateSchedule schedule = new Step(0.1, 0.5, 3);
        assertEquals(0.1, schedule.rate(0));
        assertEquals(0.1, schedule.rate(2));
        assertEquals(0.05, schedule.rate(3));
        assertEquals(0.05, schedule.rate(5));
        assertEquals(0.025, schedule.rate(6));
        assertEquals(0.0125, schedule.rate(11));
    }

    @Test
    void exponential() {
        LearningRateSchedule schedule = new Exponential(0.1, 0.9);
        assertEquals(0.1, schedule.rate(0), EXACT);
        assertEquals(0.09, schedule.rate(1), EXACT);
        assertEquals(0.081, schedule.rate(2), EXACT);
        // 0.9^10 = 0.3486784401
        assertEquals(0.03486784401, schedule.rate(10), EXACT);
    }

    @Test
    void inverseTime() {
        LearningRateSchedule schedule = new InverseTime(0.1, 0.5);
        assertEquals(0.1, schedule.rate(0), EXACT);
        assertEquals(0.1 / 1.5, schedule.rate(1), EXACT);
        assertEquals(0.05, schedule.rate(2), EXACT);
        assertEquals(0.025, schedule.rate(6), EXACT);
        assertEquals(0.1, new InverseTime(0.1, 0).rate(50), EXACT);
    }

    @Test
    void cosineToZeroAndToAMinimum() {
        LearningRateSchedule toZero = new Cosine(0.1, 10);
        assertEquals(0.1, toZero.rate(0), EXACT);
        assertEquals(0.05, toZero.rate(5), EXACT);
        assertEquals(0.0, toZero.rate(10), EXACT);
        assertEquals(0.0, toZero.rate(25), EXACT);
        // t = T/4: (1 + cos(pi/4)) / 2 = (1 + 0.7071067811865476) / 2 = 0.8535533905932738
        assertEquals(0.08535533905932738, new Cosine(0.1, 4).rate(1), EXACT);
        LearningRateSchedule toMinimum = new Cosine(0.1, 10, 0.01);
        assertEquals(0.1, toMinimum.rate(0), EXACT);
        assertEquals(0.055, toMinimum.rate(5), EXACT);
        assertEquals(0.01, toMinimum.rate(10), EXACT);
        assertEquals(0.01, toMinimum.rate(11), EXACT);
    }

    @Test
    void warmupRampsLinearlyIntoTheNextSchedule() {
        LearningRateSchedule constant = new Warmup(4, 0.25, new Constant(0.1));
        assertEquals(0.025, constant.rate(0), EXACT);
        assertEquals(0.04375, constant.rate(1), EXACT);
        assertEquals(0.0625, constant.rate(2), EXACT);
        assertEquals(0.08125, constant.rate(3), EXACT);
        assertEquals(0.1, constant.rate(4), EXACT);
        assertEquals(0.1, constant.rate(400), EXACT);
        LearningRateSchedule cosine = new Warmup(4, 0, new Cosine(0.1, 10));
        assertEquals(0.0, cosine.rate(0), EXACT);
        assertEquals(0.05, cosine.rate(2), EXACT);
        assertEquals(0.1, cosine.rate(4), EXACT);
        assertEquals(0.05, cosine.rate(9), EXACT);
        assertEquals(0.0, cosine.rate(14), EXACT);
        LearningRateSchedule step = new Warmup(2, 0.5, new Step(0.2, 0.1, 5));
        assertEquals(0.1, step.rate(0), EXACT);
        assertEquals(0.15, step.rate(1), EXACT);
        assertEquals(0.2, step.rate(6), EXACT);
        assertEquals(0.02, step.rate(7), 1e-16);
    }

    @Test
    void decayingSchedulesNeverIncreaseAndStayInRange() {
        qt().withFixedSeed(701).forAll(doubles().between(1e-4, 1.0), doubles().between(0.5, 1.0),
                        integers().between(1, 200), integers().between(0, 400))
                .checkAssert((rate, gamma, total, t) -> {
                    LearningRateSchedule[] schedules = {new Step(rate, gamma, 7), new Exponential(rate, gamma),
                            new InverseTime(rate, gamma), new Cosine(rate, total, rate * 0.1)};
                    for (LearningRateSchedule schedule : schedules) {
                        double now = schedule.rate(t);
                        double next = schedule.rate(t + 1L);
                        assertTrue(next <= now && now <= rate && next >= 0,
                                schedule + " at t = " + t + ": " + now + " then " + next + ", seed 701");
                    }
                    LearningRateSchedule warmup = new Warmup(total, 0.1, new Constant(rate));
                    assertTrue(warmup.rate(t) <= warmup.rate(t + 1L), warmup + " decreases at t = " + t + ", seed 701");
                });
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("initialRate must be positive and finite, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new Constant(0)).getMessage());
        assertEquals("initialRate must be positive and finite, got NaN",
                assertThrows(IllegalArgumentException.class, () -> new Exponential(Double.NaN, 0.5)).getMessage());
        assertEquals("gamma must be in (0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> new Step(0.1, 1.5, 2)).getMessage());
        assertEquals("stepSize must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new Step(0.1, 0.5, 0)).getMessage());
        assertEquals("gamma must be finite and at least 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new InverseTime(0.1, -1)).getMessage());
        assertEquals("minimumRate must be in [0, initialRate = 0.1], got 0.2",
                assertThrows(IllegalArgumentException.class, () -> new Cosine(0.1, 10, 0.2)).getMessage());
        assertEquals("totalSteps must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new Cosine(0.1, 0)).getMessage());
        assertEquals("warmupSteps must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> new Warmup(0, 0.5, new Constant(0.1))).getMessage());
        assertEquals("startFactor must be in [0, 1], got 2.0", assertThrows(IllegalArgumentException.class,
                () -> new Warmup(3, 2, new Constant(0.1))).getMessage());
        assertEquals("step t must be at least 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> new Constant(0.1).rate(-1)).getMessage());
    }
}
