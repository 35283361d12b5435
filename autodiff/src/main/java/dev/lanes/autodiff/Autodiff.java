package dev.lanes.autodiff;

import dev.lanes.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Derivatives of a {@link Function} at a point, each on a fresh {@link Tape}: gradients and
 * vector-Jacobian products by reverse mode, Jacobian-vector products (directional derivatives) by
 * forward mode, and Hessian-vector products by forward-over-reverse.
 *
 * <pre>{@code
 * Function f = in -> in[0].matmul(in[1]).relu().sum();
 * List<Tensor> g = Autodiff.grad(f, x, w);            // df/dx, df/dw
 * Tensor dfdx_v = Autodiff.jvp(f, new Tensor[] {x, w}, new Tensor[] {v, Tensor.zeros(w.shape())}).tangent();
 * }</pre>
 *
 * <p>The returned tensors are new (the function's own tape is dropped). To differentiate the same
 * function again and again without allocating, keep a {@link Tape} and {@link Tape#reset()} it.
 */
public final class Autodiff {
    private Autodiff() {
    }

    /**
     * A function's value and its gradients with respect to each input.
     *
     * @param value the function's value
     * @param gradients one gradient per input, of that input's shape
     */
    public record ValueAndGrad(Tensor value, List<Tensor> gradients) {
        /**
         * {@return the gradient with respect to input i}
         *
         * @param i the index of the input
         */
        public Tensor gradient(int i) {
            return gradients.get(i);
        }
    }

    /**
     * A function's value and its directional derivative J·v.
     *
     * @param value the function's value f(x)
     * @param tangent the directional derivative J·v, of the value's shape
     */
    public record Jvp(Tensor value, Tensor tangent) {
    }

    /**
     * {@return the gradients of a scalar function with respect to each input}
     *
     * @param f the function
     * @param inputs the point: one tensor per input of the function
     * @throws IllegalArgumentException if the output is not a single element
     */
    public static List<Tensor> grad(Function f, Tensor... inputs) {
        return valueAndGrad(f, inputs).gradients();
    }

    /**
     * {@return the value of a scalar function and its gradients with respect to each input}
     *
     * @param f the function
     * @param inputs the point: one tensor per input of the function
     */
    public static ValueAndGrad valueAndGrad(Function f, Tensor... inputs) {
        Pullback pullback = vjp(f, inputs);
        return new ValueAndGrad(pullback.value(), pullback.apply(null));
    }

    /**
     * Runs {@code f} once in reverse mode and returns its value with the pullback u ↦ uᵀ·J, which
     * may be applied once (the tape is consumed).
     *
     * @param f the function
     * @param inputs the point: one tensor per input of the function
     * @return the value and the pullback
     */
    public static Pullback vjp(Function f, Tensor... inputs) {
        Tape tape = new Tape(Tape.Mode.REVERSE);
        Var[] vars = new Var[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            vars[i] = tape.input(inputs[i]);
        }
        return new Pullback(tape, vars, result(tape, f, vars));
    }

    /**
     * {@return the directional derivative of a function of one input along v: (f(x), J·v)}
     *
     * @param f the function
     * @param x the point, the function's only input
     * @param v the direction, of {@code x}'s shape
     */
    public static Jvp jvp(Function f, Tensor x, Tensor v) {
        return jvp(f, new Tensor[] {x}, new Tensor[] {v});
    }

    /**
     * {@return the directional derivative (f(x), J·v) by forward mode: one pass carrying a tangent
     * beside every value; {@code tangents[i]} is the direction for input i (null for none)}
     *
     * @param f the function
     * @param inputs the point: one tensor per input of the function
     * @param tangents the direction: one tensor per input, of that input's shape, or null for none
     */
    public static Jvp jvp(Function f, Tensor[] inputs, Tensor[] tangents) {
        Tape tape = new Tape(Tape.Mode.FORWARD);
        Var y = result(tape, f, leaves(tape, inputs, tangents));
        return new Jvp(y.value().copy(), y.tangent().copy());
    }

    /**
     * {@return the Hessian-vector product H·v of a scalar function of one input}
     *
     * @param f the function
     * @param x the point, the function's only input
     * @param v the direction, of {@code x}'s shape
     */
    public static Tensor hvp(Function f, Tensor x, Tensor v) {
        return hvp(f, new Tensor[] {x}, new Tensor[] {v}).get(0);
    }

    /**
     * {@return the Hessian-vector products of a scalar function: for each input i, Σ_j
     * (∂²f/∂x_i∂x_j)·v_j, by forward-over-reverse (the reverse pass run on values carrying
     * tangents)}
     *
     * @param f the function
     * @param inputs the point: one tensor per input of the function
     * @param directions the direction v: one tensor per input, of that input's shape, or null for
     *     none
     * @throws UnsupportedOperationException if the function uses an operation without a
     *         second-order rule (the message names it)
     */
    public static List<Tensor> hvp(Function f, Tensor[] inputs, Tensor[] directions) {
        Tape tape = new Tape(Tape.Mode.FORWARD_OVER_REVERSE);
        Var[] vars = leaves(tape, inputs, directions);
        tape.backward(result(tape, f, vars));
        List<Tensor> products = new ArrayList<>();
        for (Var var : vars) {
            products.add(var.gradTangent());
        }
        return products;
    }

    private static Var[] leaves(Tape tape, Tensor[] inputs, Tensor[] tangents) {
        if (inputs.length != tangents.length) {
            throw new IllegalArgumentException(inputs.length + " inputs but " + tangents.length + " tangents");
        }
        Var[] vars = new Var[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            vars[i] = tangents[i] == null ? tape.input(inputs[i]) : tape.input(inputs[i], tangents[i]);
        }
        return vars;
    }

    private static Var result(Tape tape, Function f, Var[] vars) {
        if (f == null) {
            throw new IllegalArgumentException("the function must not be null");
        }
        Var y = f.apply(vars);
        tape.check("the function's result", y);
        return y;
    }

    /** A function's value and its vector-Jacobian product, for one use. */
    public static final class Pullback {
        private final Tape tape;
        private final Var[] inputs;
        private final Var output;
        private final Tensor value;

        private Pullback(Tape tape, Var[] inputs, Var output) {
            this.tape = tape;
            this.inputs = inputs;
            this.output = output;
            this.value = output.value().copy();
        }

        /** {@return the function's value} */
        public Tensor value() {
            return value;
        }

        /**
         * uᵀ·J for each input, u = {@code seed} (the output's shape; null for a scalar output).
         *
         * @param seed u, of the output's shape; null for a scalar output (u = 1)
         * @return uᵀ·J for each input, of that input's shape
         * @throws IllegalStateException on a second call: the pullback's tape is consumed
         */
        public List<Tensor> apply(Tensor seed) {
            tape.backward(output, seed);
            List<Tensor> gradients = new ArrayList<>();
            for (Var input : inputs) {
                gradients.add(input.grad());
            }
            return gradients;
        }
    }
}
