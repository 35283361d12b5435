package dev.lanes.training.optim;

import dev.lanes.layers.Parameter;
import dev.lanes.training.schedule.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, algorithm 1), per
 * element, at step t = 1, 2, ... with learning rate α:
 * <pre>
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)        (bias correction with the step number t)
 * θ ← θ − α·m̂ / (√v̂ + ε)
 * </pre>
 * m and v start at 0. Defaults are the paper's: β₁ = 0.9, β₂ = 0.999, ε = 1e-8. The
 * corrections 1 − βᵗ are computed in double once per step. L2 penalties set with
 * {@link #l2(double)} enter the gradient ("Adam with L2"); {@link AdamW} decouples them.
 */
public class Adam extends Optimizer {
    /** β₁ from the paper. */
    public static final double DEFAULT_BETA1 = 0.9;
    /** β₂ from the paper. */
    public static final double DEFAULT_BETA2 = 0.999;
    /** ε from the paper. */
    public static final double DEFAULT_EPSILON = 1e-8;

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final int firstMoment;
    private final int secondMoment;

    /**
     * Adam with the paper's defaults and a constant learning rate (the paper suggests 0.001).
     *
     * @param parameters the parameters to update, in a fixed order
     * @param learningRate the constant learning rate, {@code > 0}
     */
    public Adam(List<Parameter> parameters, double learningRate) {
        this(parameters, new LearningRateSchedule.Constant(learningRate), DEFAULT_BETA1, DEFAULT_BETA2,
                DEFAULT_EPSILON);
    }

    /**
     * Adam with β₁, β₂ in [0, 1) and ε &gt; 0.
     *
     * @param parameters the parameters to update, in a fixed order
     * @param schedule the learning-rate schedule
     * @param beta1 β₁, the decay of the first moment, in [0, 1)
     * @param beta2 β₂, the decay of the second moment, in [0, 1)
     * @param epsilon ε, added for numerical stability, {@code > 0}
     */
    public Adam(List<Parameter> parameters, LearningRateSchedule schedule, double beta1, double beta2,
                double epsilon) {
        super(parameters, schedule);
        this.beta1 = checkUnit(beta1, "beta1");
        this.beta2 = checkUnit(beta2, "beta2");
        this.epsilon = checkEpsilon(epsilon);
        this.firstMoment = addSlot(0f);
        this.secondMoment = addSlot(0f);
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public final List<String> slotNames() {
        return List.of("m", "v");
    }

    @Override
    public Map<String, String> hyperparameters() {
        Map<String, String> result = super.hyperparameters();
        result.put("beta1", Double.toString(beta1));
        result.put("beta2", Double.toString(beta2));
        result.put("epsilon", Double.toString(epsilon));
        return result;
    }

    @Override
    protected void update(int index, float[] value, float[] grad, int length, double rate, long t) {
        adamStep(index, value, grad, length, rate, t, 0f);
    }

    /**
     * The Adam step; with {@code decoupledDecay} = η·λ &gt; 0 also θ ← θ − η·λ·θ, using the θ from
     * before this step as in AdamW.
     */
    final void adamStep(int index, float[] value, float[] grad, int length, double rate, long t,
                        float decoupledDecay) {
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float keep1 = (float) (1 - beta1);
        float keep2 = (float) (1 - beta2);
        // 1 − βᵗ in double: for β₂ = 0.999 and small t, float would lose most digits.
        float correction1 = (float) (1 - Math.pow(beta1, t));
        float correction2 = (float) (1 - Math.pow(beta2, t));
        float alpha = (float) rate;
        float eps = (float) epsilon;
        float[] m = slot(index, firstMoment);
        float[] v = slot(index, secondMoment);
        for (int i = 0; i < length; i++) {
            float g = grad[i];
            float first = b1 * m[i] + keep1 * g;
            float second = b2 * v[i] + keep2 * g * g;
            m[i] = first;
            v[i] = second;
            float mHat = first / correction1;
            float vHat = second / correction2;
            float theta = value[i];
            value[i] = theta - alpha * mHat / ((float) Math.sqrt(vHat) + eps) - decoupledDecay * theta;
        }
    }
}
