package dev.lanes.spark;

import dev.lanes.training.Model;
import dev.lanes.training.optim.Optimizer;
import java.io.Serializable;

/**
 * The weights, optimizer slots and step count of a model as flat arrays: what parameter
 * averaging broadcasts at the start of a period and each worker returns at its end.
 *
 * @param weights all parameters' values, flat, in the model's order
 * @param slots all optimizer slots, flat, in the optimizer's order
 * @param steps the optimizer's step count
 */
record OptimizerState(float[] weights, float[][] slots, long steps) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The state of {@code model} and {@code optimizer}, copied. */
    static OptimizerState of(Model model, Optimizer optimizer) {
        int parameters = model.parameters().size();
        int slotCount = optimizer.slotNames().size();
        float[][] slots = new float[parameters * slotCount][];
        for (int p = 0; p < parameters; p++) {
            for (int s = 0; s < slotCount; s++) {
                slots[p * slotCount + s] = optimizer.slot(p, s).clone();
            }
        }
        return new OptimizerState(SparkTrainer.Weights.flatten(model), slots, optimizer.steps());
    }

    /** Copies this state into {@code model} and {@code optimizer}. */
    void applyTo(Model model, Optimizer optimizer) {
        SparkTrainer.Weights.load(model, weights);
        int parameters = model.parameters().size();
        int slotCount = optimizer.slotNames().size();
        if (slots.length != parameters * slotCount) {
            throw new IllegalArgumentException("the state has " + slots.length + " slot arrays but the optimizer "
                    + optimizer.name() + " has " + parameters * slotCount);
        }
        for (int p = 0; p < parameters; p++) {
            for (int s = 0; s < slotCount; s++) {
                float[] target = optimizer.slot(p, s);
                System.arraycopy(slots[p * slotCount + s], 0, target, 0, target.length);
            }
        }
        optimizer.restoreSteps(steps);
    }

    /**
     * The mean of {@code states} element by element: summed in double in the list's order (the
     * partition order), divided by their number and rounded to float once; the steps of the first.
     */
    static OptimizerState mean(java.util.List<OptimizerState> states) {
        OptimizerState first = states.get(0);
        float[] weights = mean(states, -1);
        float[][] slots = new float[first.slots.length][];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = mean(states, i);
        }
        return new OptimizerState(weights, slots, first.steps);
    }

    private static float[] mean(java.util.List<OptimizerState> states, int slot) {
        int length = slot < 0 ? states.get(0).weights.length : states.get(0).slots[slot].length;
        float[] result = new float[length];
        int count = states.size();
        for (int i = 0; i < length; i++) {
            double sum = 0;
            for (OptimizerState state : states) {
                sum += slot < 0 ? state.weights[i] : state.slots[slot][i];
            }
            result[i] = (float) (sum / count);
        }
        return result;
    }
}
