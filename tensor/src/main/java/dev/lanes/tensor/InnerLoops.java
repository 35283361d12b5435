package dev.lanes.tensor;

/**
 * The one-dimensional loops every tensor op ends in: {@code n} elements at an offset and a stride
 * per operand. This is the only place in the module that touches elements in bulk, so the
 * contiguous fast paths (stride 1, or a broadcast scalar of stride 0) can be switched to the
 * {@code dev.lanes.kernels} elementwise and reduction kernels in one file.
 *
 * <p>Callers ({@link Strided}) have checked every offset and stride against the arrays, so these
 * loops do not check again.
 */
final class InnerLoops {
    /** Binary ops: {@code out = a op b}; {@code AXPY} is {@code a + alpha * b}. */
    enum Binary { ADD, SUB, MUL, DIV, MAX, MIN, AXPY }

    /** Unary ops: {@code out = op(x)}. */
    enum Unary { COPY, NEG, ABS, EXP, LOG, SQRT, SQUARE }

    private InnerLoops() {
    }

    // out[oo + i*os] = a[ao + i*as] op b[bo + i*bs] for i in [0, n)
    static void binary(Binary op, float alpha, float[] out, int oo, int os,
                       float[] a, int ao, int as, float[] b, int bo, int bs, int n) {
        if (os == 1 && as == 1 && bs == 1) {
            contiguousBinary(op, alpha, out, oo, a, ao, b, bo, n);
        } else if (os == 1 && as == 1 && bs == 0 && op != Binary.AXPY) {
            contiguousScalar(op, out, oo, a, ao, b[bo], n);
        } else {
            for (int i = 0; i < n; i++) {
                out[oo + i * os] = apply(op, alpha, a[ao + i * as], b[bo + i * bs]);
            }
        }
    }

    // out[oo + i*os] = op(x[xo + i*xs]) for i in [0, n)
    static void unary(Unary op, float[] out, int oo, int os, float[] x, int xo, int xs, int n) {
        if (op == Unary.COPY && os == 1 && xs == 1) {
            System.arraycopy(x, xo, out, oo, n);
        } else if (op == Unary.COPY && xs == 0) {
            fill(out, oo, os, n, x[xo]);
        } else {
            for (int i = 0; i < n; i++) {
                out[oo + i * os] = apply(op, x[xo + i * xs]);
            }
        }
    }

    // out[oo + i*os] = value for i in [0, n)
    static void fill(float[] out, int oo, int os, int n, float value) {
        if (os == 1) {
            java.util.Arrays.fill(out, oo, oo + n, value);
        } else {
            for (int i = 0; i < n; i++) {
                out[oo + i * os] = value;
            }
        }
    }

    // sum of x[xo + i*xs], i in [0, n). Accumulated in double, so the rounding error stays far
    // below float precision, in four interleaved partial sums combined in a fixed order: four
    // independent add chains hide the add latency, and the result is the same on every run.
    static float sum(float[] x, int xo, int xs, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            int p = xo + i * xs;
            s0 += x[p];
            s1 += x[p + xs];
            s2 += x[p + 2 * xs];
            s3 += x[p + 3 * xs];
        }
        for (; i < n; i++) {
            s0 += x[xo + i * xs];
        }
        return (float) ((s0 + s1) + (s2 + s3));
    }

    // max of x[xo + i*xs], i in [0, n), n >= 1; NaN propagates (Math.max)
    static float max(float[] x, int xo, int xs, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[xo + i * xs]);
        }
        return max;
    }

    // min of x[xo + i*xs], i in [0, n), n >= 1; NaN propagates (Math.min)
    static float min(float[] x, int xo, int xs, int n) {
        float min = Float.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, x[xo + i * xs]);
        }
        return min;
    }

    // All operands stride 1. One loop per op so that C2 can vectorize each of them.
    private static void contiguousBinary(Binary op, float alpha, float[] out, int oo,
                                         float[] a, int ao, float[] b, int bo, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    out[oo + i] = a[ao + i] + b[bo + i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    out[oo + i] = a[ao + i] - b[bo + i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    out[oo + i] = a[ao + i] * b[bo + i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    out[oo + i] = a[ao + i] / b[bo + i];
                }
            }
            case MAX -> {
                for (int i = 0; i < n; i++) {
                    out[oo + i] = Math.max(a[ao + i], b[bo + i]);
                }
            }
            case MIN -> {
                for (int i = 0; i < n; i++) {
                    out[oo + i] = Math.min(a[ao + i], b[bo + i]);
                }
            }
            case AXPY -> {
                for (int i = 0; i < n; i++) {
                    out[oo + i] = a[ao + i] + alpha * b[bo + i];
                }
            }
        }
    }

    // out and a stride 1, b a broadcast scalar (bias over H*W, scalar ops).
    private static void contiguousScalar(Binary op, float[] out, int oo, float[] a, int ao, float s, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    out[oo + i] = a[ao + i] + s;
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    out[oo + i] = a[ao + i] - s;
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    out[oo + i] = a[ao + i] * s;
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    out[oo + i] = a[ao + i] / s;
                }
            }
            case MAX -> {
                for (int i = 0; i < n; i++) {
                    out[oo + i] = Math.max(a[ao + i], s);
                }
            }
            case MIN -> {
                for (int i = 0; i < n; i++) {
                    out[oo + i] = Math.min(a[ao + i], s);
                }
            }
            case AXPY -> throw new AssertionError("AXPY takes the strided path");
        }
    }

    static float apply(Binary op, float alpha, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            case AXPY -> x + alpha * y;
        };
    }

    static float apply(Unary op, float x) {
        return switch (op) {
            case COPY -> x;
            case NEG -> -x;
            case ABS -> Math.abs(x);
            // Computed in double, then rounded to float: within one float ulp of the exact result.
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case SQUARE -> x * x;
        };
    }
}
