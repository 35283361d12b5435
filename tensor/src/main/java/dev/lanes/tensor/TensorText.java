package dev.lanes.tensor;

/** The text of tensors: {@link Tensor#toString()} and the {@code allClose} diagnostics. */
final class TensorText {
    /** Above this many elements, toString shows only the first and last EDGE entries per axis. */
    static final int SUMMARY_THRESHOLD = 1000;
    static final int EDGE = 3;

    private TensorText() {
    }

    static String format(Tensor x) {
        StringBuilder text = new StringBuilder("Tensor").append(x.shape).append('\n');
        if (x.rank() == 0) {
            return text.append(x.item()).toString();
        }
        boolean summarize = x.size() > SUMMARY_THRESHOLD;
        int width = width(x, 0, x.offset, summarize);
        append(text, x, 0, x.offset, summarize, width);
        return text.toString();
    }

    // The widest value shown, so that columns line up.
    private static int width(Tensor x, int depth, int position, boolean summarize) {
        if (depth == x.rank()) {
            return Float.toString(x.data[position]).length();
        }
        int width = 0;
        int n = x.shape.dims[depth];
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) {
                i = n - EDGE;
            }
            width = Math.max(width, width(x, depth + 1, position + i * x.strides[depth], summarize));
        }
        return width;
    }

    private static void append(StringBuilder text, Tensor x, int depth, int position, boolean summarize, int width) {
        if (depth == x.rank()) {
            String value = Float.toString(x.data[position]);
            text.repeat(' ', width - value.length()).append(value);
            return;
        }
        text.append('[');
        int n = x.shape.dims[depth];
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                separate(text, x.rank(), depth);
            }
            if (summarize && n > 2 * EDGE && i == EDGE) {
                text.append("...");
                separate(text, x.rank(), depth);
                i = n - EDGE;
            }
            append(text, x, depth + 1, position + i * x.strides[depth], summarize, width);
        }
        text.append(']');
    }

    // numpy's layout: ", " inside a row; a newline (blank lines between blocks) and an indent above.
    private static void separate(StringBuilder text, int rank, int depth) {
        if (depth == rank - 1) {
            text.append(", ");
        } else {
            text.append(',').repeat('\n', rank - depth - 1).repeat(' ', depth + 1);
        }
    }

    static String mismatch(Tensor actual, Tensor expected, double rtol, double atol) {
        if (!(rtol >= 0) || !(atol >= 0)) {
            throw new IllegalArgumentException("rtol and atol must be non-negative, got rtol " + rtol + ", atol "
                    + atol);
        }
        if (!actual.shape.equals(expected.shape)) {
            return "shapes differ: actual " + actual.shape + ", expected " + expected.shape;
        }
        float[] a = actual.toArray();
        float[] b = expected.toArray();
        int count = 0;
        int first = -1;
        int worst = -1;
        double worstDifference = -1;
        for (int i = 0; i < a.length; i++) {
            if (close(a[i], b[i], rtol, atol)) {
                continue;
            }
            count++;
            if (first < 0) {
                first = i;
            }
            double difference = Math.abs((double) a[i] - b[i]);
            if (worst < 0 || difference > worstDifference || (Double.isNaN(difference) && !Double.isNaN(worstDifference))) {
                worst = i;
                worstDifference = difference;
            }
        }
        if (count == 0) {
            return null;
        }
        int[] dims = actual.shape.dims;
        return "not close (rtol " + rtol + ", atol " + atol + "): " + count + " of " + a.length
                + " elements of shape " + actual.shape + " differ; first at " + Shape.format(unravel(first, dims))
                + ": actual " + a[first] + ", expected " + b[first] + ", |difference| "
                + number(Math.abs((double) a[first] - b[first])) + " > tolerance "
                + number(atol + rtol * Math.abs((double) b[first])) + "; largest |difference| "
                + number(worstDifference) + " at " + Shape.format(unravel(worst, dims));
    }

    private static String number(double value) {
        return String.format(java.util.Locale.ROOT, "%.4g", value);
    }

    /** numpy's isclose with equal_nan = false: |a - b| <= atol + rtol * |b|, equal infinities close. */
    static boolean close(float a, float b, double rtol, double atol) {
        if (a == b) {
            return true;
        }
        if (Float.isNaN(a) || Float.isNaN(b) || Float.isInfinite(a) || Float.isInfinite(b)) {
            return false;
        }
        return Math.abs((double) a - b) <= atol + rtol * Math.abs((double) b);
    }

    static int[] unravel(int flat, int[] dims) {
        int[] index = new int[dims.length];
        for (int i = dims.length - 1; i >= 0; i--) {
            index[i] = flat % dims[i];
            flat /= dims[i];
        }
        return index;
    }
}
