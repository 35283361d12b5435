package dev.lanes.training.init;

/**
 * The fan-in and fan-out of a weight tensor: how many inputs feed each output unit and how many
 * outputs each input unit feeds.
 *
 * @param in  fan-in, at least 1
 * @param out fan-out, at least 1
 */
public record Fans(int in, int out) {
    /** Checks the values. */
    public Fans {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("fan-in and fan-out must be at least 1, got " + in + " and " + out);
        }
    }

    /**
     * {@return a dense layer's weight {@code (outputs, inputs)}: fan-in = inputs, fan-out =
     * outputs}
     *
     * @param inputs the input features
     * @param outputs the output features
     */
    public static Fans dense(int inputs, int outputs) {
        return new Fans(inputs, outputs);
    }

    /**
     * {@return a convolution's weight {@code (k, c, r, s)} (output channels, input channels, kernel
     * height, kernel width): fan-in = c·r·s, fan-out = k·r·s}
     *
     * @param outputChannels k, the output channels
     * @param inputChannels c, the input channels
     * @param kernelHeight r, the kernel height
     * @param kernelWidth s, the kernel width
     */
    public static Fans convolution(int outputChannels, int inputChannels, int kernelHeight, int kernelWidth) {
        return new Fans(Math.multiplyExact(inputChannels, Math.multiplyExact(kernelHeight, kernelWidth)),
                Math.multiplyExact(outputChannels, Math.multiplyExact(kernelHeight, kernelWidth)));
    }
}
