package dev.lanes.training.optim;

import dev.lanes.layers.Parameter;
import java.util.List;

/**
 * Gradient clipping over a list of parameters, in place on their gradients.
 *
 * <p>By global norm (Pascanu, Mikolov and Bengio, "On the difficulty of training recurrent neural
 * networks", ICML 2013, algorithm 1): with ‖g‖ the L2 norm of all gradients taken together, every
 * gradient is multiplied by maxNorm / ‖g‖ when ‖g‖ &gt; maxNorm, so the direction is kept. By
 * value: each element is clamped to [−limit, limit]. The norm is summed in double in parameter
 * order, so it is the same for any thread count.
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /**
     * {@return the L2 norm of all gradients together (double accumulation, fixed order)}
     *
     * @param parameters the parameters whose gradients are clipped
     */
    public static double globalNorm(List<Parameter> parameters) {
        double sum = 0;
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            float[] grad = parameter.grad().data();
            int offset = parameter.grad().offset();
            int length = parameter.grad().size();
            for (int i = 0; i < length; i++) {
                double g = grad[offset + i];
                sum += g * g;
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales all gradients by maxNorm / ‖g‖ when their global norm ‖g‖ exceeds {@code maxNorm}.
     * A non-finite norm (a NaN or infinite gradient) is left as it is, so the problem shows in
     * the next loss instead of being hidden as zeros.
     *
     * @param parameters the parameters whose gradients are clipped
     * @param maxNorm the largest global L2 norm, {@code > 0}
     * @return the norm before clipping
     */
    public static double clipByGlobalNorm(List<Parameter> parameters, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be positive, got " + maxNorm);
        }
        double norm = globalNorm(parameters);
        if (norm > maxNorm && Double.isFinite(norm)) {
            float scale = (float) (maxNorm / norm);
            for (int p = 0; p < parameters.size(); p++) {
                Parameter parameter = parameters.get(p);
                float[] grad = parameter.grad().data();
                int offset = parameter.grad().offset();
                int length = parameter.grad().size();
                for (int i = 0; i < length; i++) {
                    grad[offset + i] *= scale;
                }
            }
        }
        return norm;
    }

    /**
     * Clamps every gradient element to [−limit, limit] (NaN stays NaN).
     *
     * @param parameters the parameters whose gradients are clipped
     * @param limit the largest absolute value of an element, {@code > 0}
     */
    public static void clipByValue(List<Parameter> parameters, double limit) {
        if (!(limit > 0)) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        float high = (float) limit;
        float low = -high;
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            float[] grad = parameter.grad().data();
            int offset = parameter.grad().offset();
            int length = parameter.grad().size();
            for (int i = 0; i < length; i++) {
                // Math.min/max propagate NaN, unlike a comparison chain that would replace it.
                grad[offset + i] = Math.max(low, Math.min(high, grad[offset + i]));
            }
        }
    }
}
