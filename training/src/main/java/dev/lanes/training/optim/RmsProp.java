package dev.lanes.training.optim;

import dev.lanes.layers.Parameter;
import dev.lanes.training.schedule.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * RMSProp (Tieleman and Hinton, "Lecture 6.5 — rmsprop: Divide the gradient by a running average
 * of its recent magnitude", COURSERA: Neural Networks for Machine Learning, 2012), per element
 * with decay ρ (0.9 in the lecture): E[g²] ← ρ·E[g²] + (1 − ρ)·g², θ ← θ − η·g / (√E[g²] + ε).
 * The lecture divides by √E[g²]; ε keeps the division finite where a gradient has been zero.
 * E[g²] starts at 0.
 */
public final class RmsProp extends Optimizer {
    /** ρ from the lecture. */
    public static final double DEFAULT_RHO = 0.9;
    /** A small ε, as in common implementations. */
    public static final double DEFAULT_EPSILON = 1e-8;

    private final double rho;
    private final double epsilon;
    private final int squareAverage;

    /**
     * RMSProp with ρ = 0.9 and ε = 1e-8.
     *
     * @param parameters the parameters to update, in a fixed order
     * @param learningRate the constant learning rate, {@code > 0}
     */
    public RmsProp(List<Parameter> parameters, double learningRate) {
        this(parameters, new LearningRateSchedule.Constant(learningRate), DEFAULT_RHO, DEFAULT_EPSILON);
    }

    /**
     * RMSProp with ρ in [0, 1) and ε &gt; 0.
     *
     * @param parameters the parameters to update, in a fixed order
     * @param schedule the learning-rate schedule
     * @param rho ρ, the decay of the running averages, in [0, 1)
     * @param epsilon ε, added for numerical stability, {@code > 0}
     */
    public RmsProp(List<Parameter> parameters, LearningRateSchedule schedule, double rho, double epsilon) {
        super(parameters, schedule);
        this.rho = checkUnit(rho, "rho");
        this.epsilon = checkEpsilon(epsilon);
        this.squareAverage = addSlot(0f);
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public List<String> slotNames() {
        return List.of("square_average");
    }

    @Override
    public Map<String, String> hyperparameters() {
        Map<String, String> result = super.hyperparameters();
        result.put("rho", Double.toString(rho));
        result.put("epsilon", Double.toString(epsilon));
        return result;
    }

    @Override
    protected void update(int index, float[] value, float[] grad, int length, double rate, long t) {
        float eta = (float) rate;
        float decay = (float) rho;
        float keep = (float) (1 - rho);
        float eps = (float) epsilon;
        float[] squares = slot(index, squareAverage);
        for (int i = 0; i < length; i++) {
            float g = grad[i];
            float square = decay * squares[i] + keep * g * g;
            squares[i] = square;
            value[i] -= eta * g / ((float) Math.sqrt(square) + eps);
        }
    }
}
