package dev.lanes.training.optim;

import dev.lanes.layers.Parameter;
import dev.lanes.training.schedule.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * AdamW, Adam with decoupled weight decay (Loshchilov and Hutter, "Decoupled Weight Decay
 * Regularization", ICLR 2019, algorithm 2): the decay is not added to the gradient (so it is not
 * rescaled by Adam's √v̂) but applied to the weights directly, in the same step:
 * <pre>
 * θ ← θ − η·(m̂ / (√v̂ + ε) + λ·θ)        (both terms use the θ from before the step)
 * </pre>
 * with m̂, v̂ as in {@link Adam}. In the paper the step is η<sub>t</sub>·(α·m̂/(√v̂+ε) + λ·θ) with a
 * schedule multiplier η<sub>t</sub>; here η is the scheduled learning rate α·η<sub>t</sub>, so λ
 * here is the paper's λ divided by α (the convention of PyTorch's AdamW): the decay still follows
 * the schedule. Decay applies only to parameters with {@link Parameter#decay()}.
 */
public final class AdamW extends Adam {
    /** A common default for λ. */
    public static final double DEFAULT_WEIGHT_DECAY = 0.01;

    private final double weightDecay;

    /**
     * AdamW with Adam's defaults, λ = 0.01 and a constant learning rate.
     *
     * @param parameters the parameters to update, in a fixed order
     * @param learningRate the constant learning rate, {@code > 0}
     */
    public AdamW(List<Parameter> parameters, double learningRate) {
        this(parameters, new LearningRateSchedule.Constant(learningRate), DEFAULT_BETA1, DEFAULT_BETA2,
                DEFAULT_EPSILON, DEFAULT_WEIGHT_DECAY);
    }

    /**
     * AdamW with β₁, β₂ in [0, 1), ε &gt; 0 and λ ≥ 0.
     *
     * @param parameters the parameters to update, in a fixed order
     * @param schedule the learning-rate schedule
     * @param beta1 β₁, the decay of the first moment, in [0, 1)
     * @param beta2 β₂, the decay of the second moment, in [0, 1)
     * @param epsilon ε, added for numerical stability, {@code > 0}
     * @param weightDecay λ, the decoupled weight decay, {@code >= 0}
     */
    public AdamW(List<Parameter> parameters, LearningRateSchedule schedule, double beta1, double beta2,
                 double epsilon, double weightDecay) {
        super(parameters, schedule, beta1, beta2, epsilon);
        this.weightDecay = checkPenalty(weightDecay, "weightDecay");
    }

    @Override
    public String name() {
        return "adamw";
    }

    @Override
    public Map<String, String> hyperparameters() {
        Map<String, String> result = super.hyperparameters();
        result.put("weight_decay", Double.toString(weightDecay));
        return result;
    }

    @Override
    protected void update(int index, float[] value, float[] grad, int length, double rate, long t) {
        float decay = parameters().get(index).decay() ? (float) (rate * weightDecay) : 0f;
        adamStep(index, value, grad, length, rate, t, decay);
    }
}
