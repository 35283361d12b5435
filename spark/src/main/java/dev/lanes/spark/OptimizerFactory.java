package dev.lanes.spark;

import dev.lanes.training.Model;
import dev.lanes.training.optim.Optimizer;
import java.io.Serializable;
import java.util.function.Function;

/**
 * Makes the optimizer of a model. Synchronous training calls it on the driver only; parameter
 * averaging also on every executor, which is why it is serializable.
 */
@FunctionalInterface
public interface OptimizerFactory extends Function<Model, Optimizer>, Serializable {
}
