package dev.lanes.bench.activation;

import dev.lanes.kernels.Activation;
import dev.lanes.kernels.spi.ActivationKernel;

/**
 * Plain Java float loops with Math.exp and Math.tanh (HotSpot intrinsics) for sigmoid, tanh,
 * GELU-tanh and ReLU: what a careful scalar implementation achieves, a fairer baseline than the
 * double-precision StrictMath reference. Other kinds are not implemented.
 */
final class JavaLoopActivations implements ActivationKernel {
    private static final float K = (float) (2 * Math.sqrt(2 / Math.PI));

    @Override
    public void forward(Activation.Kind kind, float parameter, float[] out, int offOut, float[] in, int offIn,
                        int length) {
        switch (kind) {
            case SIGMOID -> {
                for (int i = 0; i < length; i++) {
                    out[offOut + i] = (float) (1 / (1 + Math.exp(-in[offIn + i])));
                }
            }
            case TANH -> {
                for (int i = 0; i < length; i++) {
                    out[offOut + i] = (float) Math.tanh(in[offIn + i]);
                }
            }
            case GELU_TANH -> {
                for (int i = 0; i < length; i++) {
                    float x = in[offIn + i];
                    out[offOut + i] = (float) (x / (1 + Math.exp(-K * (x + 0.044715f * x * x * x))));
                }
            }
            case RELU -> {
                // Math.max auto-vectorizes (a ternary would not).
                for (int i = 0; i < length; i++) {
                    out[offOut + i] = Math.max(in[offIn + i], 0f);
                }
            }
            default -> throw new UnsupportedOperationException("java loop for " + kind);
        }
    }

    @Override
    public void backward(Activation.Kind kind, float parameter, float[] gradIn, int offGradIn, float[] gradOut,
                         int offGradOut, float[] saved, int offSaved, int length) {
        switch (kind) {
            case SIGMOID -> {
                for (int i = 0; i < length; i++) {
                    float y = saved[offSaved + i];
                    gradIn[offGradIn + i] = gradOut[offGradOut + i] * y * (1 - y);
                }
            }
            case TANH -> {
                for (int i = 0; i < length; i++) {
                    float y = saved[offSaved + i];
                    gradIn[offGradIn + i] = gradOut[offGradOut + i] * (1 - y * y);
                }
            }
            case RELU -> {
                for (int i = 0; i < length; i++) {
                    gradIn[offGradIn + i] = saved[offSaved + i] > 0 ? gradOut[offGradOut + i] : 0f;
                }
            }
            default -> throw new UnsupportedOperationException("java loop backward for " + kind);
        }
    }

    @Override
    public void preluForward(float[] out, int offOut, float[] in, int offIn, float[] slope, int offSlope,
                             int batch, int channels, int spatial) {
        throw new UnsupportedOperationException("java loop for PReLU");
    }

    @Override
    public void preluBackward(float[] gradIn, int offGradIn, float[] gradSlope, int offGradSlope, float[] gradOut,
                              int offGradOut, float[] in, int offIn, float[] slope, int offSlope,
                              int batch, int channels, int spatial) {
        throw new UnsupportedOperationException("java loop for PReLU");
    }
}
