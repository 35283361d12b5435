package dev.lanes.training.optim;

import dev.lanes.layers.Parameter;
import dev.lanes.training.schedule.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent, plain, with momentum, or with Nesterov momentum.
 *
 * <p>With learning rate η, momentum μ and velocity v (zero at the start):
 * <ul>
 *   <li>μ = 0: θ ← θ − η·g.</li>
 *   <li>Momentum, the heavy ball of Polyak ("Some methods of speeding up the convergence of
 *       iteration methods", USSR Computational Mathematics and Mathematical Physics 4(5), 1964)
 *       written as in Sutskever, Martens, Dahl and Hinton ("On the importance of initialization
 *       and momentum in deep learning", ICML 2013, eq. 1–2): v ← μ·v − η·g, θ ← θ + v.</li>
 *   <li>Nesterov's accelerated gradient (Sutskever et al. 2013, eq. 3–4) evaluates the gradient
 *       at the look-ahead point θ + μ·v. Storing that point as the parameter instead of θ (the
 *       change of variables of Bengio, Boulanger-Lewandowski and Pascanu, "Advances in optimizing
 *       recurrent networks", ICASSP 2013, eq. 7) turns it into an update that needs only the
 *       gradient at the stored parameter: v ← μ·v − η·g, θ ← θ + μ·v − η·g (with the new v).</li>
 * </ul>
 * The velocity includes the learning rate, as in the papers, so a schedule that changes η
 * changes only the new gradient's contribution.
 */
public final class Sgd extends Optimizer {
    private final double momentum;
    private final boolean nesterov;
    private final int velocity;

    /**
     * Plain SGD with a constant learning rate.
     *
     * @param parameters the parameters to update, in a fixed order
     * @param learningRate the constant learning rate, {@code > 0}
     */
    public Sgd(List<Parameter> parameters, double learningRate) {
        this(parameters, new LearningRateSchedule.Constant(learningRate), 0, false);
    }

    /**
     * SGD with momentum μ (0 for none), Nesterov's form when {@code nesterov}, constant rate.
     *
     * @param parameters the parameters to update, in a fixed order
     * @param learningRate the constant learning rate, {@code > 0}
     * @param momentum μ, the momentum, in [0, 1) (0 for none)
     * @param nesterov true for Nesterov's form of momentum
     */
    public Sgd(List<Parameter> parameters, double learningRate, double momentum, boolean nesterov) {
        this(parameters, new LearningRateSchedule.Constant(learningRate), momentum, nesterov);
    }

    /**
     * SGD with momentum μ in [0, 1) (0 for none) and a schedule.
     *
     * @param parameters the parameters to update, in a fixed order
     * @param schedule the learning-rate schedule
     * @param momentum μ, the momentum, in [0, 1) (0 for none)
     * @param nesterov true for Nesterov's form of momentum
     * @throws IllegalArgumentException if μ is outside [0, 1), or Nesterov is asked with μ = 0
     */
    public Sgd(List<Parameter> parameters, LearningRateSchedule schedule, double momentum, boolean nesterov) {
        super(parameters, schedule);
        this.momentum = checkUnit(momentum, "momentum");
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
        }
        this.nesterov = nesterov;
        this.velocity = momentum == 0 ? -1 : addSlot(0f);
    }

    @Override
    public String name() {
        return nesterov ? "nesterov" : momentum == 0 ? "sgd" : "momentum";
    }

    @Override
    public List<String> slotNames() {
        return momentum == 0 ? List.of() : List.of("velocity");
    }

    @Override
    public Map<String, String> hyperparameters() {
        Map<String, String> result = super.hyperparameters();
        result.put("momentum", Double.toString(momentum));
        result.put("nesterov", Boolean.toString(nesterov));
        return result;
    }

    @Override
    protected void update(int index, float[] value, float[] grad, int length, double rate, long t) {
        float eta = (float) rate;
        if (momentum == 0) {
            for (int i = 0; i < length; i++) {
                value[i] -= eta * grad[i];
            }
            return;
        }
        float mu = (float) momentum;
        float[] v = slot(index, velocity);
        if (nesterov) {
            for (int i = 0; i < length; i++) {
                float step = eta * grad[i];
                float newVelocity = mu * v[i] - step;
                v[i] = newVelocity;
                value[i] += mu * newVelocity - step;
            }
        } else {
            for (int i = 0; i < length; i++) {
                float newVelocity = mu * v[i] - eta * grad[i];
                v[i] = newVelocity;
                value[i] += newVelocity;
            }
        }
    }
}
