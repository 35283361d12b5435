package dev.lanes.training.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.lanes.training.random.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HyperparameterTest {
    private static final SearchSpace SPACE = SearchSpace.parse(
            "lr=log:1e-4:1e-1; momentum=uniform:0.5:0.99; epochs=int:1:9; batch-size=logint:16:512;"
                    + " optimizer=choice:adam,sgd,rmsprop");

    @Test
    void parsesEveryKind() {
        List<Hyperparameter> p = SPACE.parameters();
        assertEquals(new Hyperparameter.LogUniform("lr", 1e-4, 1e-1), p.get(0));
        assertEquals(new Hyperparameter.Uniform("momentum", 0.5, 0.99), p.get(1));
        assertEquals(new Hyperparameter.IntegerRange("epochs", 1, 9, false), p.get(2));
        assertEquals(new Hyperparameter.IntegerRange("batch-size", 16, 512, true), p.get(3));
        assertEquals(new Hyperparameter.Categorical("optimizer", List.of("adam", "sgd", "rmsprop")), p.get(4));
        assertEquals(List.of("lr", "momentum", "epochs", "batch-size", "optimizer"), SPACE.names());
    }

    @Test
    void samplesStayInTheirRangesAndNarrowingKeepsTheBestInside() {
        qt().withFixedSeed(1931).withExamples(200).forAll(integers().between(0, 4), integers().between(1, 6),
                longs().all()).checkAssert((index, count, seed) -> {
            Hyperparameter parameter = SPACE.parameters().get(index);
            SplitMix64 random = new SplitMix64(seed);
            Hyperparameter.Range full = parameter.full();
            List<String> best = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String value = parameter.sample(full, random);
                inside(parameter, full, value);
                if (parameter instanceof Hyperparameter.LogUniform || parameter instanceof Hyperparameter.Uniform) {
                    // The text is the number: parsed and written again it does not change.
                    assertEquals(value, Hyperparameter.format(Double.parseDouble(value)));
                }
                best.add(value);
            }
            Hyperparameter.Range narrowed = parameter.narrow(full, best);
            for (String value : best) {
                inside(parameter, narrowed, value);
            }
            for (int i = 0; i < 20; i++) {
                inside(parameter, full, parameter.sample(narrowed, random));
            }
            if (!(parameter instanceof Hyperparameter.Categorical)) {
                assertTrue(narrowed.low() >= full.low() && narrowed.high() <= full.high(), narrowed + " " + full);
            }
        });
    }

    private static void inside(Hyperparameter parameter, Hyperparameter.Range range, String value) {
        if (parameter instanceof Hyperparameter.Categorical) {
            assertTrue(range.choices().contains(value), value + " not in " + range);
            return;
        }
        double position = parameter.position(value);
        // Sampled values are rounded to 4 digits (or to integers): allow that rounding at the ends.
        double slack = parameter instanceof Hyperparameter.IntegerRange ? 0.5 : 1e-3;
        assertTrue(position >= range.low() - slack && position <= range.high() + slack,
                parameter.name() + " = " + value + " at " + position + " outside " + range);
    }

    @Test
    void narrowingShrinksAroundTheBest() {
        Hyperparameter lr = SPACE.parameters().get(0);
        Hyperparameter.Range narrowed = lr.narrow(lr.full(), List.of("0.001", "0.002"));
        // log10: [-3, -2.699] widened by max(0.25 · 0.301, 0.1 · 3) = 0.3 on each side.
        assertEquals(-3.3, narrowed.low(), 1e-9);
        assertEquals(Math.log10(0.002) + 0.3, narrowed.high(), 1e-9);
        Hyperparameter optimizer = SPACE.parameters().get(4);
        assertEquals(List.of("adam", "rmsprop"), optimizer.narrow(optimizer.full(), List.of("rmsprop", "adam"))
                .choices());
    }

    @Test
    void badSpecificationsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse("lr=log:0:1")).getMessage()
                .contains("low > 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse("lr=cubic:1:2"))
                .getMessage().contains("unknown kind 'cubic'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse("lr")).getMessage()
                .contains("NAME=KIND:ARGUMENTS"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse("lr=uniform:2:1"))
                .getMessage().contains("low < high"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse("a=int:1:2;a=int:1:3"))
                .getMessage().contains("given twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse("lr=log:x:1"))
                .getMessage().contains("'x' is not a number"));
    }
}
