package dev.lanes.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.layers.Parameter;
import dev.lanes.training.schedule.LearningRateSchedule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Optimizers by name, as the command line makes them. */
class OptimizersTest {
    @Test
    void everyNameGivesThatOptimizer() {
        Parameter p = OptimizerTest.parameter("w", true, 1f);
        for (String name : Optimizers.NAMES) {
            Optimizer optimizer = Optimizers.create(name, List.of(p), new LearningRateSchedule.Constant(0.5), 0.8,
                    0.01);
            assertEquals(name, optimizer.name());
            assertEquals(0.5, optimizer.learningRate());
            // adamw decouples the decay; the others take it as an L2 penalty.
            assertEquals(name.equals("adamw") ? 0 : 0.01, optimizer.l2(), name);
        }
        assertEquals("0.8", Optimizers.create("nesterov", List.of(p), new LearningRateSchedule.Constant(0.5), 0.8, 0)
                .hyperparameters().get("momentum"));
        assertEquals("0.01", Optimizers.create("adamw", List.of(p), new LearningRateSchedule.Constant(0.5), 0.8, 0.01)
                .hyperparameters().get("weight_decay"));
        assertEquals(0.001, Optimizers.defaultLearningRate("adam"));
        assertEquals("unknown optimizer 'lbfgs'; choose one of " + Optimizers.NAMES,
                assertThrows(IllegalArgumentException.class, () -> Optimizers.defaultLearningRate("lbfgs")).getMessage());
    }
}
