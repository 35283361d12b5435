package dev.lanes.kernels.panama.pointwise;

import dev.lanes.kernels.panama.support.PanamaTail;

/**
 * The vector loops of one activation over a span, forward and backward side by side, each span's
 * last vector inside its arrays ({@link PanamaActivations} puts it on copies where it would not
 * be: see PanamaTail). Every activation is a subclass, called through these abstract methods: C2
 * sees a megamorphic call and compiles each loop as a unit of its own, where a switch calling
 * static loops would let it inline all of them into one method, whose node budget
 * (NodeCountInliningCutoff) runs out so that the vector functions stop being inlined.
 */
abstract class ActivationLoop implements PanamaTail.Span {
    /** The length from which a call runs on the pool: later for the memory-bound loops. */
    final int parallelFrom;

    ActivationLoop(int parallelFrom) {
        this.parallelFrom = parallelFrom;
    }

    /** out[offOut + i] = f(in[offIn + i]) for i &lt; length; parameter: the slope, alpha or threshold. */
    abstract void forward(float parameter, float[] out, int offOut, float[] in, int offIn, int length);

    /** gradIn = gradOut * f'(saved), saved the forward input or output as Activation.saved() names it. */
    abstract void backward(float parameter, float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                           float[] saved, int offSaved, int length);

    /** The forward loop, as PanamaTail.unary runs it. */
    @Override
    public final void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
        forward(parameter, out, offOut, in, offIn, length);
    }
}
