package dev.lanes.tensor;

import dev.lanes.kernels.Elementwise;

/**
 * The one-dimensional loops every tensor op ends in: {@code n} elements at an offset and a stride
 * per operand. This is the only place in the module that touches elements in bulk. Contiguous
 * runs (stride 1, or a contiguous operand with a broadcast scalar of stride 0) go to the
 * {@code dev.lanes.kernels} facades wherever one computes the same IEEE result: {@link Elementwise}
 * add, sub, mul, div, max and min (Math.max and Math.min of two arrays), abs, sqrt (correctly
 * rounded, as {@code (float) Math.sqrt} here), axpy, scale (a product with a scalar, negation),
 * clip (maximum or minimum with a scalar) and copy; {@code dev.lanes.kernels.Reductions} max, min
 * and argmax. The strided and broadcasting general paths stay plain loops here, and compute the
 * same values element for element (axpy as one fused multiply-add on both paths), so a result does
 * not depend on the layout. Where the kernel's accuracy differs (sum, accumulated in double here;
 * exp and log, computed in double here, within 1.06 ulp in {@code VectorMath}) the loops here
 * serve every layout.
 *
 * <p>Callers ({@link Strided}) have checked every offset and stride against the arrays, and
 * ({@link Pointwise}) that an output overlaps an input only element for element, so the kernels'
 * own checks pass.
 */
final class InnerLoops {
    /** Binary ops: {@code out = a op b}; {@code AXPY} is {@code a + alpha * b} (one rounding). */
    enum Binary { ADD, SUB, MUL, DIV, MAX, MIN, AXPY }

    /** Unary ops: {@code out = op(x)}. */
    enum Unary { COPY, NEG, ABS, EXP, LOG, SQRT, SQUARE }

    private InnerLoops() {
    }

    // out[oo + i*os] = a[ao + i*as] op b[bo + i*bs] for i in [0, n)
    static void binary(Binary op, float alpha, float[] out, int oo, int os,
                       float[] a, int ao, int as, float[] b, int bo, int bs, int n) {
        if (os == 1 && as == 1 && bs == 1 && contiguousBinary(op, alpha, out, oo, a, ao, b, bo, n)) {
            return;
        }
        if (os == 1 && as == 1 && bs == 0 && contiguousScalar(op, out, oo, a, ao, b[bo], n)) {
            return;
        }
        for (int i = 0; i < n; i++) {
            out[oo + i * os] = apply(op, alpha, a[ao + i * as], b[bo + i * bs]);
        }
    }

    // out[oo + i*os] = op(x[xo + i*xs]) for i in [0, n)
    static void unary(Unary op, float[] out, int oo, int os, float[] x, int xo, int xs, int n) {
        if (op == Unary.COPY && xs == 0) {
            fill(out, oo, os, n, x[xo]);
            return;
        }
        if (os == 1 && xs == 1) {
            switch (op) {
                case COPY -> {
                    Elementwise.copy(out, oo, x, xo, n);
                    return;
                }
                case NEG -> {
                    // -1 * v equals -v for every number (signed zeros included); a NaN stays NaN.
                    Elementwise.scale(out, oo, -1f, x, xo, n);
                    return;
                }
                case SQUARE -> {
                    Elementwise.mul(out, oo, x, xo, x, xo, n);
                    return;
                }
                case ABS -> {
                    Elementwise.abs(out, oo, x, xo, n);
                    return;
                }
                case SQRT -> {
                    Elementwise.sqrt(out, oo, x, xo, n);
                    return;
                }
                default -> {
                    // EXP, LOG: kept in double (see the class comment).
                }
            }
        }
        for (int i = 0; i < n; i++) {
            out[oo + i * os] = apply(op, x[xo + i * xs]);
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
        if (xs == 1) {
            return dev.lanes.kernels.Reductions.max(x, xo, n);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[xo + i * xs]);
        }
        return max;
    }

    // min of x[xo + i*xs], i in [0, n), n >= 1; NaN propagates (Math.min)
    static float min(float[] x, int xo, int xs, int n) {
        if (xs == 1) {
            return dev.lanes.kernels.Reductions.min(x, xo, n);
        }
        float min = Float.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, x[xo + i * xs]);
        }
        return min;
    }

    // index of the maximum of x[xo + i*xs], i in [0, n), n >= 1: ranked as Float.compare ranks
    // them (NaN above everything, +0 above -0), the first on ties; so x at the index is max(...).
    // The kernel's strided form serves every stride: one ranking for every layout.
    static int argmax(float[] x, int xo, int xs, int n) {
        return dev.lanes.kernels.Reductions.argmax(x, xo, xs, n);
    }

    // All operands stride 1: the kernel when one computes this op, else false.
    private static boolean contiguousBinary(Binary op, float alpha, float[] out, int oo,
                                            float[] a, int ao, float[] b, int bo, int n) {
        switch (op) {
            case ADD -> Elementwise.add(out, oo, a, ao, b, bo, n);
            case SUB -> Elementwise.sub(out, oo, a, ao, b, bo, n);
            case MUL -> Elementwise.mul(out, oo, a, ao, b, bo, n);
            case DIV -> Elementwise.div(out, oo, a, ao, b, bo, n);
            case AXPY -> {
                if (out != a || oo != ao) {
                    return false; // the kernel updates in place; only axpyInPlace uses AXPY
                }
                Elementwise.axpy(out, oo, alpha, b, bo, n);
            }
            case MAX -> Elementwise.max(out, oo, a, ao, b, bo, n);
            case MIN -> Elementwise.min(out, oo, a, ao, b, bo, n);
        }
        return true;
    }

    // out and a stride 1, b a broadcast scalar (bias over H*W, scalar ops): the kernel when one
    // computes this op, else false. max(v, s) = min(max(v, s), +Inf) exactly, NaN and ±0 included.
    private static boolean contiguousScalar(Binary op, float[] out, int oo, float[] a, int ao, float s, int n) {
        switch (op) {
            case MUL -> Elementwise.scale(out, oo, s, a, ao, n);
            case MAX -> {
                if (s != s) {
                    return false; // clip bounds must not be NaN
                }
                Elementwise.clip(out, oo, a, ao, s, Float.POSITIVE_INFINITY, n);
            }
            case MIN -> {
                if (s != s) {
                    return false;
                }
                Elementwise.clip(out, oo, a, ao, Float.NEGATIVE_INFINITY, s, n);
            }
            default -> {
                return false; // ADD, SUB, DIV with a scalar: only strided kernels, which loop
            }
        }
        return true;
    }

    static float apply(Binary op, float alpha, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            case AXPY -> Math.fma(alpha, y, x); // as the axpy kernel: one rounding
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
