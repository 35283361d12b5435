package dev.lanes.gradcheck;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/** float/double conversions for the float32 subjects. */
final class Floats {
    private Floats() {
    }

    static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    /** The tensor's values in row-major order, after checking its shape. */
    static double[] values(Tensor t, Shape expected, String subject, String what) {
        if (t == null) {
            throw new IllegalStateException(subject + ": " + what + " is null");
        }
        if (!t.shape().equals(expected)) {
            throw new IllegalStateException(subject + ": " + what + " has shape " + t.shape() + ", expected "
                    + expected);
        }
        return toDouble(t.toArray());
    }
}
