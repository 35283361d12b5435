package dev.lanes.autodiff;

import dev.lanes.kernels.Elementwise;
import dev.lanes.kernels.VectorMath;
import dev.lanes.tensor.Tensor;

/**
 * exp, log, sqrt, x^p, x², |x| and clamp: the values on the {@link VectorMath} and
 * {@link Elementwise} kernels; the derivatives that no kernel computes (p·x^(p−1), sign, the
 * clamp mask) are plain loops.
 */
final class UnaryMath extends Pointwise {
    /** The function. */
    enum Kind { EXP, LOG, SQRT, POW, SQUARE, ABS, CLAMP }

    private Kind kind;
    private float p;
    private float q;

    private UnaryMath(Tape tape) {
        super(tape);
    }

    /** f(x) for {@code kind}; p is the exponent of POW and the lower bound of CLAMP, q CLAMP's upper bound. */
    static Var apply(Kind kind, Var x, float p, float q) {
        String op = kind.name().toLowerCase(java.util.Locale.ROOT);
        Tape tape = Tape.of(op, x);
        if (kind == Kind.POW && !Float.isFinite(p)) {
            throw new IllegalArgumentException("pow: the exponent must be finite, got " + p);
        }
        if (kind == Kind.CLAMP && !(p <= q)) {
            throw new IllegalArgumentException("clamp: needs min <= max, got min " + p + ", max " + q);
        }
        UnaryMath node = tape.next(UnaryMath.class, UnaryMath::new);
        node.kind = kind;
        node.p = p;
        node.q = q;
        node.inputs[0] = x;
        return tape.run(node);
    }

    @Override
    String name() {
        return switch (kind) {
            case POW -> "pow(" + p + ")";
            case CLAMP -> "clamp(" + p + ", " + q + ")";
            default -> kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    @Override
    void compute(Tensor y, Tensor x) {
        float[] out = y.data();
        float[] in = x.data();
        int o = x.offset();
        int n = y.size();
        switch (kind) {
            case EXP -> VectorMath.exp(out, 0, in, o, n);
            case LOG -> VectorMath.log(out, 0, in, o, n);
            case SQRT -> Elementwise.sqrt(out, 0, in, o, n);
            case SQUARE -> Elementwise.mul(out, 0, in, o, in, o, n);
            case ABS -> Elementwise.abs(out, 0, in, o, n);
            case CLAMP -> Elementwise.clip(out, 0, in, o, p, q, n);
            case POW -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) Math.pow(in[o + i], p);
                }
            }
        }
    }

    // exp: f' = y;  log: 1/x;  sqrt: 1/(2y);  pow: p·x^(p−1);  square: 2x;  abs: sign(x) (0 at 0);
    // clamp: 1 strictly inside (min, max), else 0
    @Override
    void derivative(Tensor result, Tensor v) {
        float[] r = result.data();
        int ro = result.offset();
        float[] in = v.data();
        int vo = v.offset();
        float[] xs = x.data();
        int xo = x.offset();
        float[] y = out.value.data();
        int n = result.size();
        switch (kind) {
            case EXP -> Elementwise.mul(r, ro, in, vo, y, 0, n);
            case LOG -> Elementwise.div(r, ro, in, vo, xs, xo, n);
            case SQRT -> {
                Elementwise.div(r, ro, in, vo, y, 0, n);
                Elementwise.scale(r, ro, 0.5f, r, ro, n);
            }
            case SQUARE -> {
                Elementwise.mul(r, ro, in, vo, xs, xo, n);
                Elementwise.scale(r, ro, 2f, r, ro, n);
            }
            case POW -> {
                for (int i = 0; i < n; i++) {
                    r[ro + i] = (float) (in[vo + i] * (p * Math.pow(xs[xo + i], p - 1.0)));
                }
            }
            case ABS -> {
                for (int i = 0; i < n; i++) {
                    float xi = xs[xo + i];
                    r[ro + i] = xi > 0 ? in[vo + i] : xi < 0 ? -in[vo + i] : xi == 0 ? 0f : Float.NaN;
                }
            }
            case CLAMP -> {
                for (int i = 0; i < n; i++) {
                    float xi = xs[xo + i];
                    r[ro + i] = xi > p && xi < q ? in[vo + i] : xi != xi ? Float.NaN : 0f;
                }
            }
        }
    }

    // g·f''(x)·ẋ with exp: f'' = y;  log: −1/x²;  sqrt: −1/(4y³);  pow: p(p−1)x^(p−2);  square: 2;
    // abs and clamp: 0 (away from their kinks)
    @Override
    Tensor second(Tensor g, Tensor dx) {
        Tensor x = this.x;
        Tensor y = out.value;
        return switch (kind) {
            case EXP -> g.mul(y).mul(dx);
            case LOG -> g.mul(dx).div(x.square()).neg();
            case SQRT -> g.mul(dx).div(y.square().mul(y).mul(-4f));
            case SQUARE -> g.mul(dx).mul(2f);
            case POW -> {
                Tensor f2 = Tensor.zeros(x.shape());
                float[] xs = x.data();
                int xo = x.offset();
                for (int i = 0; i < f2.size(); i++) {
                    f2.data()[i] = (float) (p * (p - 1.0) * Math.pow(xs[xo + i], p - 2.0));
                }
                yield g.mul(f2).mul(dx);
            }
            case ABS, CLAMP -> null;
        };
    }
}
