package dev.lanes.kernels.spi;

import dev.lanes.kernels.Activation;

/**
 * Activation functions forward and backward, elementwise over contiguous arrays. Arguments arrive
 * validated by {@link dev.lanes.kernels.Activations}: ranges lie within the arrays, outputs are
 * the same region as an input or disjoint from it, and {@code saved} is non-null unless the kind
 * saves nothing. The semantics of each kind are those documented on {@link Activation}.
 */
public interface ActivationKernel {
    /** out[offOut + i] = f(in[offIn + i]) for i < length; parameter is the slope or alpha. */
    void forward(Activation.Kind kind, float parameter, float[] out, int offOut, float[] in, int offIn, int length);

    /**
     * gradIn[offGradIn + i] = gradOut[offGradOut + i] * f'(saved[offSaved + i]) for i < length,
     * where saved holds the forward input or output as {@link Activation#saved()} says.
     */
    void backward(Activation.Kind kind, float parameter, float[] gradIn, int offGradIn, float[] gradOut,
                  int offGradOut, float[] saved, int offSaved, int length);

    /**
     * PReLU: out = in where in &gt; 0, slope[c] in elsewhere; out and in are (batch, channels,
     * spatial) row-major, slope holds one value per channel.
     */
    void preluForward(float[] out, int offOut, float[] in, int offIn, float[] slope, int offSlope,
                      int batch, int channels, int spatial);

    /**
     * PReLU backward: gradIn = gradOut where in &gt; 0, slope[c] gradOut elsewhere, and
     * gradSlope[c] += the sum over batch and spatial of gradOut in where in &lt;= 0 (NaN included).
     */
    void preluBackward(float[] gradIn, int offGradIn, float[] gradSlope, int offGradSlope, float[] gradOut,
                       int offGradOut, float[] in, int offIn, float[] slope, int offSlope,
                       int batch, int channels, int spatial);
}
