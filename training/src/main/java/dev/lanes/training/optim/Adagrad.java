package dev.lanes.training.optim;

import dev.lanes.layers.Parameter;
import dev.lanes.training.schedule.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Adagrad (Duchi, Hazan and Singer, "Adaptive Subgradient Methods for Online Learning and
 * Stochastic Optimization", JMLR 12, 2011), the diagonal form of their composite mirror-descent
 * update with H = δ·I + diag(G)^½ (section 1.2, eq. 5 and figure 1): per element,
 * G ← G + g², θ ← θ − η·g / (δ + √G). G starts at {@code initialAccumulator} (0 in the paper).
 */
public final class Adagrad extends Optimizer {
    /** δ, the paper's small constant that keeps the first steps finite. */
    public static final double DEFAULT_EPSILON = 1e-10;

    private final double epsilon;
    private final double initialAccumulator;
    private final int sumOfSquares;

    /**
     * Adagrad with δ = 1e-10 and G starting at 0.
     *
     * @param parameters the parameters to update, in a fixed order
     * @param learningRate the constant learning rate, {@code > 0}
     */
    public Adagrad(List<Parameter> parameters, double learningRate) {
        this(parameters, new LearningRateSchedule.Constant(learningRate), DEFAULT_EPSILON, 0);
    }

    /**
     * Adagrad with the given δ &gt; 0 and initial accumulator value ≥ 0.
     *
     * @param parameters the parameters to update, in a fixed order
     * @param schedule the learning-rate schedule
     * @param epsilon δ, added for numerical stability, {@code > 0}
     * @param initialAccumulator the value G starts at, {@code >= 0}
     */
    public Adagrad(List<Parameter> parameters, LearningRateSchedule schedule, double epsilon,
                   double initialAccumulator) {
        super(parameters, schedule);
        this.epsilon = checkEpsilon(epsilon);
        this.initialAccumulator = checkPenalty(initialAccumulator, "initialAccumulator");
        this.sumOfSquares = addSlot((float) initialAccumulator);
    }

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    public List<String> slotNames() {
        return List.of("sum_of_squares");
    }

    @Override
    public Map<String, String> hyperparameters() {
        Map<String, String> result = super.hyperparameters();
        result.put("epsilon", Double.toString(epsilon));
        result.put("initial_accumulator", Double.toString(initialAccumulator));
        return result;
    }

    @Override
    protected void update(int index, float[] value, float[] grad, int length, double rate, long t) {
        float eta = (float) rate;
        float delta = (float) epsilon;
        float[] sum = slot(index, sumOfSquares);
        for (int i = 0; i < length; i++) {
            float g = grad[i];
            float accumulated = sum[i] + g * g;
            sum[i] = accumulated;
            value[i] -= eta * g / (delta + (float) Math.sqrt(accumulated));
        }
    }
}
