package dev.lanes.training.optim;

import dev.lanes.layers.Parameter;
import dev.lanes.training.schedule.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Adadelta (Zeiler, "ADADELTA: An Adaptive Learning Rate Method", arXiv:1212.5701, 2012,
 * algorithm 1), per element, with decay ρ and constant ε, RMS[y] = √(E[y²] + ε):
 * <pre>
 * E[g²]  ← ρ·E[g²] + (1 − ρ)·g²
 * Δθ     = −(RMS[Δθ]_previous / RMS[g]) · g
 * E[Δθ²] ← ρ·E[Δθ²] + (1 − ρ)·Δθ²
 * θ      ← θ + η·Δθ
 * </pre>
 * The paper has no learning rate; η multiplies the applied step only (not the accumulated Δθ²),
 * so η = 1, the default, is exactly the paper's rule. Both averages start at 0.
 */
public final class Adadelta extends Optimizer {
    /** ρ used in the paper's MNIST experiments. */
    public static final double DEFAULT_RHO = 0.95;
    /** ε used in the paper's MNIST experiments. */
    public static final double DEFAULT_EPSILON = 1e-6;

    private final double rho;
    private final double epsilon;
    private final int squareAverage;
    private final int deltaAverage;

    /**
     * The paper's rule: η = 1, ρ = 0.95, ε = 1e-6.
     *
     * @param parameters the parameters to update, in a fixed order
     */
    public Adadelta(List<Parameter> parameters) {
        this(parameters, new LearningRateSchedule.Constant(1), DEFAULT_RHO, DEFAULT_EPSILON);
    }

    /**
     * Adadelta with a step multiplier η, ρ in [0, 1) and ε &gt; 0.
     *
     * @param parameters the parameters to update, in a fixed order
     * @param schedule the learning-rate schedule
     * @param rho ρ, the decay of the running averages, in [0, 1)
     * @param epsilon ε, added for numerical stability, {@code > 0}
     */
    public Adadelta(List<Parameter> parameters, LearningRateSchedule schedule, double rho, double epsilon) {
        super(parameters, schedule);
        this.rho = checkUnit(rho, "rho");
        this.epsilon = checkEpsilon(epsilon);
        this.squareAverage = addSlot(0f);
        this.deltaAverage = addSlot(0f);
    }

    @Override
    public String name() {
        return "adadelta";
    }

    @Override
    public List<String> slotNames() {
        return List.of("square_average", "delta_average");
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
        float[] deltas = slot(index, deltaAverage);
        for (int i = 0; i < length; i++) {
            float g = grad[i];
            float square = decay * squares[i] + keep * g * g;
            squares[i] = square;
            float delta = -(float) Math.sqrt(deltas[i] + eps) / (float) Math.sqrt(square + eps) * g;
            deltas[i] = decay * deltas[i] + keep * delta * delta;
            value[i] += eta * delta;
        }
    }
}
