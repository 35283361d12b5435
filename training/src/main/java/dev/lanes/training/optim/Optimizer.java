package dev.lanes.training.optim;

import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.schedule.LearningRateSchedule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates a fixed list of {@link Parameter}s from their accumulated gradients, one
 * {@link #step()} per mini-batch.
 *
 * <p>A step, for the step number t = {@link #steps()} + 1 (so t = 1 for the first step):
 * <ol>
 *   <li>gradient clipping, when configured: first by value (each element clamped to
 *       [−c, c]), then by global norm (all gradients scaled by maxNorm / ‖g‖ when the L2 norm
 *       ‖g‖ over every parameter exceeds maxNorm; see {@link GradientClipping});</li>
 *   <li>penalties on the parameters whose {@link Parameter#decay()} is true: the gradient of
 *       λ₂/2·Σθ² + λ₁·Σ|θ| is added, g ← g + λ₂·θ + λ₁·sign(θ) (sign(0) = 0). This is classic
 *       "coupled" L2 weight decay; {@link AdamW} adds its decoupled decay on top;</li>
 *   <li>the update rule of the subclass with the learning rate η = schedule.rate(t − 1) (the
 *       schedule's step counter starts at 0);</li>
 *   <li>every gradient is set to zero, ready for the next backward pass.</li>
 * </ol>
 *
 * <p><b>State.</b> Each rule keeps per-parameter arrays ("slots": momentum, running averages),
 * allocated once in the constructor with the parameter's size; a step allocates nothing.
 * {@link #slotNames()}, {@link #slot(int, int)} and {@link #steps()} expose the state for
 * checkpoints; {@link #restoreSteps(long)} and writing into the slot arrays restore it.
 *
 * <p>Arithmetic is float32 per element, with the per-step scalars (rates, bias corrections)
 * computed in double and rounded once. Results do not depend on the thread count: the update
 * runs on the calling thread, and the global norm sums in a fixed order in double. Not
 * thread-safe.
 */
public abstract class Optimizer {
    private final List<Parameter> parameters;
    private LearningRateSchedule schedule;
    private long steps;
    private double l1;
    private double l2;
    private double clipNorm = Double.POSITIVE_INFINITY;
    private double clipValue = Double.POSITIVE_INFINITY;
    private double lastGradientNorm = Double.NaN;
    private final List<float[][]> slots = new ArrayList<>();
    /**
     * Per parameter, the array {@link #update} gets for a value that does not start at index 0 of
     * its own array (a view), else null: see {@link #update}.
     */
    private final float[][] staging;

    /**
     * An optimizer of {@code parameters} (kept in this order) with a learning-rate schedule.
     *
     * @param parameters the parameters to update, in a fixed order
     * @param schedule the learning-rate schedule
     * @throws IllegalArgumentException if the list is empty or holds the same parameter twice
     */
    protected Optimizer(List<Parameter> parameters, LearningRateSchedule schedule) {
        if (parameters == null || parameters.isEmpty()) {
            throw new IllegalArgumentException("an optimizer needs at least one parameter");
        }
        for (int i = 0; i < parameters.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (parameters.get(i) == parameters.get(j)) {
                    throw new IllegalArgumentException("parameter " + i + " (" + parameters.get(i)
                            + ") is listed twice, also at " + j);
                }
            }
        }
        this.parameters = List.copyOf(parameters);
        staging = new float[this.parameters.size()][];
        for (int i = 0; i < staging.length; i++) {
            Tensor value = this.parameters.get(i).value();
            if (value.offset() != 0) {
                staging[i] = new float[value.size()];
            }
        }
        schedule(schedule);
    }

    /**
     * Allocates one slot array per parameter, each of the parameter's size and filled with
     * {@code initialValue}; subclasses call it in their constructor, in the order of
     * {@link #slotNames()}.
     *
     * @param initialValue the value every element of the new slots starts at
     * @return the slot's number
     */
    protected final int addSlot(float initialValue) {
        float[][] arrays = new float[parameters.size()][];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = new float[parameters.get(i).value().size()];
            if (initialValue != 0) {
                java.util.Arrays.fill(arrays[i], initialValue);
            }
        }
        slots.add(arrays);
        return slots.size() - 1;
    }

    /** {@return a short name, e.g. {@code adam}, used in checkpoints and by the command line} */
    public abstract String name();

    /**
     * {@return the names of the per-parameter state arrays, e.g. {@code [m, v]}; empty for plain
     * SGD}
     */
    public abstract List<String> slotNames();

    /**
     * The update rule for parameter {@code index}, applied after clipping and penalties.
     *
     * <p>value and grad hold the parameter's {@code length} elements from index 0, as the slots
     * do, so a rule's loop indexes every array with the same {@code i}. That is what lets C2
     * vectorize it: SuperWord needs one index expression for all the arrays of a loop, and with
     * the value's and the gradient's offsets added Adam ran in scalar, 1.76 ms per step for the
     * default CNN's 421K parameters against 0.20 ms vectorized (a harness; the float
     * operations round alike either way). A parameter whose value is a view that starts
     * elsewhere in its array is updated through a copy made for it once.
     *
     * @param index the parameter's position in {@link #parameters()}
     * @param value the parameter's values, updated in place
     * @param grad the parameter's gradient, after clipping and penalties
     * @param length the number of elements
     * @param rate the learning rate of this step
     * @param t    the step number, from 1
     */
    protected abstract void update(int index, float[] value, float[] grad, int length, double rate, long t);

    /** {@return the hyperparameters, for checkpoint metadata and messages (name to value)} */
    public Map<String, String> hyperparameters() {
        Map<String, String> result = new LinkedHashMap<>();
        result.put("learning_rate", Double.toString(schedule.rate(0)));
        if (l1 != 0) {
            result.put("l1", Double.toString(l1));
        }
        if (l2 != 0) {
            result.put("l2", Double.toString(l2));
        }
        if (clipNorm != Double.POSITIVE_INFINITY) {
            result.put("clip_norm", Double.toString(clipNorm));
        }
        if (clipValue != Double.POSITIVE_INFINITY) {
            result.put("clip_value", Double.toString(clipValue));
        }
        return result;
    }

    /** Applies one update to every parameter and zeroes the gradients (see the class comment). */
    public final void step() {
        long t = steps + 1;
        double rate = schedule.rate(steps);
        if (clipValue != Double.POSITIVE_INFINITY) {
            GradientClipping.clipByValue(parameters, clipValue);
        }
        if (clipNorm != Double.POSITIVE_INFINITY) {
            lastGradientNorm = GradientClipping.clipByGlobalNorm(parameters, clipNorm);
        }
        if (l1 != 0 || l2 != 0) {
            addPenaltyGradients();
        }
        for (int i = 0; i < parameters.size(); i++) {
            Tensor value = parameters.get(i).value();
            // the gradient is Parameter's own zeros tensor: it starts at index 0
            float[] grad = parameters.get(i).grad().data();
            float[] staged = staging[i];
            if (staged == null) {
                update(i, value.data(), grad, value.size(), rate, t);
            } else {
                System.arraycopy(value.data(), value.offset(), staged, 0, staged.length);
                update(i, staged, grad, staged.length, rate, t);
                System.arraycopy(staged, 0, value.data(), value.offset(), staged.length);
            }
        }
        zeroGrad();
        steps = t;
    }

    /** g ← g + λ₂·θ + λ₁·sign(θ) on the parameters with {@code decay()}. */
    private void addPenaltyGradients() {
        float lambda1 = (float) l1;
        float lambda2 = (float) l2;
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            if (!parameter.decay()) {
                continue;
            }
            float[] value = parameter.value().data();
            float[] grad = parameter.grad().data();
            int v = parameter.value().offset();
            int g = parameter.grad().offset();
            int length = parameter.value().size();
            for (int i = 0; i < length; i++) {
                float theta = value[v + i];
                grad[g + i] += lambda2 * theta + lambda1 * Math.signum(theta);
            }
        }
    }

    /** Sets every gradient to zero without updating (e.g. after a skipped step). */
    public final void zeroGrad() {
        // Parameter.zeroGrad goes through Tensor.zero, which allocates small index arrays; the
        // gradient is contiguous by Parameter's contract, so a plain fill does it without.
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            Tensor grad = parameter.grad();
            java.util.Arrays.fill(grad.data(), grad.offset(), grad.offset() + grad.size(), 0f);
        }
    }

    /** {@return the parameters, in the order given to the constructor} */
    public final List<Parameter> parameters() {
        return parameters;
    }

    /** {@return the number of steps taken (or restored)} */
    public final long steps() {
        return steps;
    }

    /**
     * Sets the step counter, when restoring a checkpoint: the next step is number
     * {@code steps + 1} (Adam's bias correction and the schedule use it).
     *
     * @param steps the number of steps already taken, {@code >= 0}
     */
    public final void restoreSteps(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be at least 0, got " + steps);
        }
        this.steps = steps;
    }

    /** {@return the learning rate the next step will use} */
    public final double learningRate() {
        return schedule.rate(steps);
    }

    /** {@return the learning-rate schedule} */
    public final LearningRateSchedule schedule() {
        return schedule;
    }

    /**
     * Replaces the learning-rate schedule; its counter is {@link #steps()}.
     *
     * @param schedule the new schedule
     * @return this optimizer
     */
    public final Optimizer schedule(LearningRateSchedule schedule) {
        if (schedule == null) {
            throw new IllegalArgumentException("schedule must not be null");
        }
        this.schedule = schedule;
        return this;
    }

    /**
     * Sets the L1 penalty λ₁ (0 for none) on the parameters with {@code decay()}.
     *
     * @param lambda λ₁, {@code >= 0}
     * @return this optimizer
     */
    public final Optimizer l1(double lambda) {
        this.l1 = checkPenalty(lambda, "l1");
        return this;
    }

    /**
     * Sets the L2 penalty λ₂ (0 for none), coupled weight decay, on the parameters with {@code decay()}.
     *
     * @param lambda λ₂, {@code >= 0}
     * @return this optimizer
     */
    public final Optimizer l2(double lambda) {
        this.l2 = checkPenalty(lambda, "l2");
        return this;
    }

    /**
     * L1 penalty λ₁.
     *
     * @return λ₁, the L1 penalty
     */
    public final double l1() {
        return l1;
    }

    /**
     * L2 penalty λ₂.
     *
     * @return λ₂, the L2 penalty
     */
    public final double l2() {
        return l2;
    }

    /**
     * Clips the gradients by global L2 norm (positive; {@code Double.POSITIVE_INFINITY} for none).
     *
     * @param maxNorm the largest global L2 norm, {@code > 0}
     * @return this optimizer
     */
    public final Optimizer clipGradientNorm(double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be positive, got " + maxNorm);
        }
        this.clipNorm = maxNorm;
        return this;
    }

    /**
     * Clips each gradient element to [−limit, limit] (positive; infinity for none).
     *
     * @param limit the largest absolute value of an element, {@code > 0}
     * @return this optimizer
     */
    public final Optimizer clipGradientValue(double limit) {
        if (!(limit > 0)) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        this.clipValue = limit;
        return this;
    }

    /**
     * {@return the global gradient norm before clipping at the last step, when clipping by norm is
     * on; else NaN}
     */
    public final double lastGradientNorm() {
        return lastGradientNorm;
    }

    /**
     * {@return the state array of slot {@code slot} for parameter {@code parameter}: the live
     * array, {@code parameters().get(parameter).value().size()} floats in the parameter's row-major
     * order}
     *
     * @param parameter the parameter's position in {@link #parameters()}
     * @param slot the slot's position in {@link #slotNames()}
     */
    public final float[] slot(int parameter, int slot) {
        if (slot < 0 || slot >= slots.size()) {
            throw new IllegalArgumentException("slot " + slot + " is outside 0.." + (slots.size() - 1) + " of " + name());
        }
        if (parameter < 0 || parameter >= parameters.size()) {
            throw new IllegalArgumentException("parameter " + parameter + " is outside 0.." + (parameters.size() - 1));
        }
        return slots.get(slot)[parameter];
    }

    /** A description for messages, e.g. {@code adam(learning_rate=0.001, beta1=0.9, ...)}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(name()).append('(');
        boolean first = true;
        for (Map.Entry<String, String> entry : hyperparameters().entrySet()) {
            out.append(first ? "" : ", ").append(entry.getKey()).append('=').append(entry.getValue());
            first = false;
        }
        return out.append(')').toString();
    }

    static double checkPenalty(double lambda, String name) {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException(name + " must be finite and at least 0, got " + lambda);
        }
        return lambda;
    }

    static double checkUnit(double value, String name) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
        return value;
    }

    static double checkEpsilon(double epsilon) {
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be positive and finite, got " + epsilon);
        }
        return epsilon;
    }
}
