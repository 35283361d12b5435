package dev.lanes.recurrent;

import dev.lanes.layers.Parameter;
import dev.lanes.training.optim.Optimizer;
import dev.lanes.training.schedule.LearningRateSchedule;
import java.util.ArrayList;
import java.util.List;

/** An optimizer that keeps a copy of the gradients of every step and leaves the values as they are. */
final class RecordingOptimizer extends Optimizer {
    /** Per step, per parameter, the gradient it saw. */
    final List<float[][]> gradients = new ArrayList<>();

    RecordingOptimizer(List<Parameter> parameters) {
        super(parameters, new LearningRateSchedule.Constant(1));
    }

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public List<String> slotNames() {
        return List.of();
    }

    @Override
    protected void update(int index, float[] value, float[] grad, int length, double rate, long t) {
        if (index == 0) {
            gradients.add(new float[parameters().size()][]);
        }
        gradients.get(gradients.size() - 1)[index] = java.util.Arrays.copyOf(grad, length);
    }
}
