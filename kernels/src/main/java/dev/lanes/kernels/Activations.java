package dev.lanes.kernels;

import dev.lanes.kernels.spi.ActivationKernel;

/**
 * Activation functions forward and backward over contiguous float arrays; the functions, their
 * derivatives and what each backward pass reads are described on the {@link Activation} constants.
 *
 * <p>The Panama implementation is vectorized with a masked last vector (every element gets the
 * same arithmetic whatever the length), and splits arrays of 128K elements or more (1M for the
 * cheap piecewise-linear functions) into fixed chunks on the kernel pool; results do not depend on
 * the thread count. Its accuracy against the double-precision definition, in ulps of the
 * correctly rounded result (tested by {@code ActivationsTest} over about a million inputs: [-30, 30]
 * in steps of 2^-14, samples of every binade, and special values):
 * <ul>
 * <li>forward: step, identity, ReLU, leaky ReLU, thresholded ReLU correctly rounded; hard sigmoid
 * and softsign 1.5 ulp; hard swish and CELU 2; sigmoid, tanh, softplus 2.5; ELU and SELU 3; Mish 5;
 * GELU (erf) 6; GELU (tanh) 3 for x >= 0
 * and (3 + 3|v|) for x &lt; 0, v = 2 sqrt(2/pi) (x + 0.044715 x^3), which is the function's own
 * sensitivity to rounding its argument (the values there are below 0.17 in magnitude, and below
 * 1e-30 where the bound passes 100 ulp);</li>
 * <li>backward, for a given saved value: ReLU, leaky ReLU, thresholded ReLU and step exact; hard
 * sigmoid 1 ulp; sigmoid and tanh 1.5; hard swish 2; softplus 3.5; softsign 4; ELU, SELU and CELU
 * 2 ulp plus 2^-22 |gradOut| (the output-based formulas y + alpha and y / alpha + 1 cancel near
 * saturation); Mish 2 ulp plus 2^-22 |gradOut| (its derivative crosses zero at x = -1.19); GELU
 * 8 ulp plus 2^-22 |gradOut| (its derivative crosses zero at x = -0.75).</li>
 * </ul>
 *
 * <p>Outputs may be the same region as an input (in place) but must not overlap one partially.
 * Bad arguments throw {@link IllegalArgumentException} naming the argument, before anything is
 * written.
 */
public final class Activations {
    private static final ActivationKernel IMPL = KernelProvider.KERNELS.activations();

    private Activations() {
    }

    /**
     * out = f(in), elementwise, for {@code length} floats from each offset.
     *
     * @param activation the function f
     * @param out the output array
     * @param offOut the index in {@code out} of its first element
     * @param in the input array
     * @param offIn the index in {@code in} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void forward(Activation activation, float[] out, int offOut, float[] in, int offIn, int length) {
        Check.notNull("activation", activation);
        Check.nonNegative("length", length);
        Check.range("out", out, offOut, length);
        Check.range("in", in, offIn, length);
        Check.sameOrDisjoint("out", out, offOut, "in", in, offIn, length);
        IMPL.forward(activation.kind(), activation.parameter(), out, offOut, in, offIn, length);
    }

    /**
     * gradIn = gradOut * f'(x), elementwise, for {@code length} floats from each offset, where the
     * derivative is computed from {@code saved}: the forward input or output, as
     * {@link Activation#saved()} says (ignored, and may be null, when it says {@code NONE}).
     * gradIn may be the same region as gradOut or saved.
     *
     * @param activation the activation, with its constant
     * @param gradIn the gradient with respect to the input, written
     * @param offGradIn the index in {@code gradIn} of its first element
     * @param gradOut the gradient with respect to the output
     * @param offGradOut the index in {@code gradOut} of its first element
     * @param saved the forward input or output, as {@link Activation#saved()} says
     * @param offSaved the index in {@code saved} of its first element
     * @param length the number of elements, {@code >= 0}
     */
    public static void backward(Activation activation, float[] gradIn, int offGradIn, float[] gradOut,
                                int offGradOut, float[] saved, int offSaved, int length) {
        Check.notNull("activation", activation);
        Check.nonNegative("length", length);
        Check.range("gradIn", gradIn, offGradIn, length);
        Check.range("gradOut", gradOut, offGradOut, length);
        Check.sameOrDisjoint("gradIn", gradIn, offGradIn, "gradOut", gradOut, offGradOut, length);
        if (activation.saved() != Activation.Saved.NONE) {
            Check.range("saved", saved, offSaved, length);
            Check.sameOrDisjoint("gradIn", gradIn, offGradIn, "saved", saved, offSaved, length);
        }
        IMPL.backward(activation.kind(), activation.parameter(), gradIn, offGradIn, gradOut, offGradOut,
                saved, offSaved, length);
    }

    /**
     * PReLU (He et al. 2015) with one learnable slope per channel: out = in where in &gt; 0,
     * slope[c] in elsewhere. out and in are (batch, channels, spatial) row-major (spatial = 1 for
     * a (batch, features) matrix); out may be in itself.
     *
     * @param out the output (batch, channels, spatial), row-major
     * @param offOut the index in {@code out} of its first element
     * @param in the input (batch, channels, spatial), row-major
     * @param offIn the index in {@code in} of its first element
     * @param slope the slopes, one per channel
     * @param offSlope the index in {@code slope} of its first element
     * @param batch the items along axis 0, {@code >= 0}
     * @param channels C, the number of channels
     * @param spatial the elements of one channel per item (H*W; 1 for a (batch, features) matrix)
     */
    public static void prelu(float[] out, int offOut, float[] in, int offIn, float[] slope, int offSlope,
                             int batch, int channels, int spatial) {
        int length = Check.planes(batch, channels, spatial);
        Check.range("out", out, offOut, length);
        Check.range("in", in, offIn, length);
        Check.range("slope", slope, offSlope, channels);
        Check.sameOrDisjoint("out", out, offOut, "in", in, offIn, length);
        Check.disjoint("out", out, offOut, length, "slope", slope, offSlope, channels);
        IMPL.preluForward(out, offOut, in, offIn, slope, offSlope, batch, channels, spatial);
    }

    /**
     * PReLU backward from the forward input: gradIn = gradOut where in &gt; 0, slope[c] gradOut
     * elsewhere, and gradSlope[c] += the sum over batch and spatial of gradOut in where in &lt;= 0
     * (summed in double in index order, the same bits on every machine). gradIn may be gradOut or
     * in itself; gradSlope must not overlap the other arrays.
     *
     * @param gradIn the gradient with respect to the input, written
     * @param offGradIn the index in {@code gradIn} of its first element
     * @param gradSlope the slopes' gradients, one per channel, added to
     * @param offGradSlope the index in {@code gradSlope} of its first element
     * @param gradOut the gradient with respect to the output
     * @param offGradOut the index in {@code gradOut} of its first element
     * @param in the forward input (batch, channels, spatial), row-major
     * @param offIn the index in {@code in} of its first element
     * @param slope the slopes, one per channel
     * @param offSlope the index in {@code slope} of its first element
     * @param batch the items along axis 0, {@code >= 0}
     * @param channels C, the number of channels
     * @param spatial the elements of one channel per item (H*W; 1 for a (batch, features) matrix)
     */
    public static void preluBackward(float[] gradIn, int offGradIn, float[] gradSlope, int offGradSlope,
                                     float[] gradOut, int offGradOut, float[] in, int offIn, float[] slope,
                                     int offSlope, int batch, int channels, int spatial) {
        int length = Check.planes(batch, channels, spatial);
        Check.range("gradIn", gradIn, offGradIn, length);
        Check.range("gradSlope", gradSlope, offGradSlope, channels);
        Check.range("gradOut", gradOut, offGradOut, length);
        Check.range("in", in, offIn, length);
        Check.range("slope", slope, offSlope, channels);
        Check.sameOrDisjoint("gradIn", gradIn, offGradIn, "gradOut", gradOut, offGradOut, length);
        Check.sameOrDisjoint("gradIn", gradIn, offGradIn, "in", in, offIn, length);
        Check.disjoint("gradIn", gradIn, offGradIn, length, "slope", slope, offSlope, channels);
        Check.disjoint("gradSlope", gradSlope, offGradSlope, channels, "gradIn", gradIn, offGradIn, length);
        Check.disjoint("gradSlope", gradSlope, offGradSlope, channels, "gradOut", gradOut, offGradOut, length);
        Check.disjoint("gradSlope", gradSlope, offGradSlope, channels, "in", in, offIn, length);
        Check.disjoint("gradSlope", gradSlope, offGradSlope, channels, "slope", slope, offSlope, channels);
        IMPL.preluBackward(gradIn, offGradIn, gradSlope, offGradSlope, gradOut, offGradOut, in, offIn, slope,
                offSlope, batch, channels, spatial);
    }

    /** {@return the implementation in use: its simple class name} */
    public static String implementation() {
        return IMPL.getClass().getSimpleName();
    }
}
