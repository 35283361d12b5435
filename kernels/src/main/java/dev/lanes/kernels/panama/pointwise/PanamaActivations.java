package dev.lanes.kernels.panama.pointwise;

import dev.lanes.kernels.Activation;
import dev.lanes.kernels.panama.support.PanamaTail;
import dev.lanes.kernels.scalar.ScalarActivations;
import dev.lanes.kernels.spi.ActivationKernel;

/**
 * Vector activations. The loops of each kind, forward and backward side by side, are an
 * {@link ActivationLoop} in {@link ArithmeticActivations} or {@link TranscendentalActivations};
 * this class picks them by kind, runs a span in place with its last partial vector on copies where
 * it would pass an array's end (see PanamaTail), and long arrays in the fixed chunks on the kernel
 * pool ({@link ActivationTasks}).
 */
public final class PanamaActivations implements ActivationKernel {
    /** The loops of each kind, by ordinal. */
    private static final ActivationLoop[] LOOPS = new ActivationLoop[Activation.Kind.values().length];

    static {
        for (Activation.Kind kind : Activation.Kind.values()) {
            LOOPS[kind.ordinal()] = loops(kind);
        }
    }

    /** The loops of a kind, one line each: the switch is exhaustive, so a kind without loops does not compile. */
    private static ActivationLoop loops(Activation.Kind kind) {
        return switch (kind) {
            case STEP -> new ArithmeticActivations.Step();
            case IDENTITY -> new ArithmeticActivations.Identity();
            case SIGMOID -> new TranscendentalActivations.Sigmoid();
            case TANH -> new TranscendentalActivations.Tanh();
            case RELU -> new ArithmeticActivations.Relu();
            case LEAKY_RELU -> new ArithmeticActivations.LeakyRelu();
            case ELU -> new TranscendentalActivations.Elu();
            case SELU -> new TranscendentalActivations.Selu();
            case GELU_TANH -> new TranscendentalActivations.GeluTanh();
            case GELU_ERF -> new TranscendentalActivations.GeluErf();
            case SOFTPLUS -> new TranscendentalActivations.Softplus();
            case SOFTSIGN -> new ArithmeticActivations.Softsign();
            case HARD_SIGMOID -> new ArithmeticActivations.HardSigmoid();
            case HARD_SWISH -> new ArithmeticActivations.HardSwish();
            case MISH -> new TranscendentalActivations.Mish();
            case CELU -> new TranscendentalActivations.Celu();
            case THRESHOLDED_RELU -> new ArithmeticActivations.ThresholdedRelu();
        };
    }

    @Override
    public void forward(Activation.Kind kind, float parameter, float[] out, int offOut, float[] in, int offIn,
                        int length) {
        if (kind == Activation.Kind.IDENTITY && out == in && offOut == offIn) {
            return;
        }
        ActivationLoop loop = LOOPS[kind.ordinal()];
        if (length < loop.parallelFrom) {
            span(loop, parameter, out, offOut, in, offIn, length);
        } else {
            ActivationTasks.Forward.onPool(loop, parameter, out, offOut, in, offIn, length);
        }
    }

    @Override
    public void backward(Activation.Kind kind, float parameter, float[] gradIn, int offGradIn, float[] gradOut,
                         int offGradOut, float[] saved, int offSaved, int length) {
        if (kind == Activation.Kind.IDENTITY && gradIn == gradOut && offGradIn == offGradOut) {
            return;
        }
        ActivationLoop loop = LOOPS[kind.ordinal()];
        if (length < loop.parallelFrom) {
            backwardSpan(loop, parameter, gradIn, offGradIn, gradOut, offGradOut, saved, offSaved, length);
        } else {
            ActivationTasks.Backward.onPool(loop, parameter, gradIn, offGradIn, gradOut, offGradOut, saved, offSaved,
                    length);
        }
    }

    /** Leaky ReLU over each (image, channel) plane with that channel's slope. */
    @Override
    public void preluForward(float[] out, int offOut, float[] in, int offIn, float[] slope, int offSlope,
                             int batch, int channels, int spatial) {
        for (int plane = 0; plane < batch * channels; plane++) {
            int at = plane * spatial;
            forward(Activation.Kind.LEAKY_RELU, slope[offSlope + plane % channels], out, offOut + at, in, offIn + at,
                    spatial);
        }
    }

    /** The slope gradient first (gradIn may overwrite gradOut or in), then leaky ReLU's backward per plane. */
    @Override
    public void preluBackward(float[] gradIn, int offGradIn, float[] gradSlope, int offGradSlope, float[] gradOut,
                              int offGradOut, float[] in, int offIn, float[] slope, int offSlope,
                              int batch, int channels, int spatial) {
        ScalarActivations.preluSlopeGradient(gradSlope, offGradSlope, gradOut, offGradOut, in, offIn, batch,
                channels, spatial);
        for (int plane = 0; plane < batch * channels; plane++) {
            int at = plane * spatial;
            backward(Activation.Kind.LEAKY_RELU, slope[offSlope + plane % channels], gradIn, offGradIn + at, gradOut,
                    offGradOut + at, in, offIn + at, spatial);
        }
    }

    /** The forward loop over a span, its last partial vector on PanamaTail's copies where needed. */
    static void span(ActivationLoop loop, float parameter, float[] out, int offOut, float[] in, int offIn,
                     int length) {
        PanamaTail.unary(loop, parameter, out, offOut, in, offIn, length);
    }

    /**
     * The backward loop in place up to {@link PanamaTail#inPlace}, the rest (if any) on PanamaTail's
     * scratch, through one call site: two would let C2 inline a transcendental loop twice where the
     * call is monomorphic, past its node budget.
     */
    static void backwardSpan(ActivationLoop loop, float parameter, float[] gradIn, int offGradIn, float[] gradOut,
                             int offGradOut, float[] saved, int offSaved, int length) {
        int head = PanamaTail.inPlace(length, gradIn, offGradIn, gradOut, offGradOut, saved, offSaved);
        int n = length - head;
        float[] tail = n > 0 ? PanamaTail.copyIn(n, gradOut, offGradOut + head, saved, offSaved + head) : null;
        for (int part = tail == null ? 1 : 0; part < 2; part++) {
            boolean scratch = part == 0; // the tail first, then the head in place
            loop.backward(parameter, scratch ? tail : gradIn, scratch ? PanamaTail.OUT : offGradIn,
                    scratch ? tail : gradOut, scratch ? PanamaTail.IN0 : offGradOut,
                    scratch ? tail : saved, scratch ? PanamaTail.IN1 : offSaved, scratch ? n : head);
        }
        if (tail != null) {
            PanamaTail.copyOut(tail, gradIn, offGradIn + head, n);
        }
    }
}
