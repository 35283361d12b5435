package dev.lanes.autodiff;

/**
 * A differentiable function of tensors, written with the operations of {@link Var}, {@link Nn} and
 * {@link Losses}: it receives its inputs as Vars of one tape and returns a Var of the same tape.
 *
 * <pre>{@code
 * Function f = in -> in[0].matmul(in[1]).tanh().sum();
 * }</pre>
 */
@FunctionalInterface
public interface Function {
    /**
     * {@return the output for the given inputs}
     *
     * @param inputs the point: one tensor per input of the function
     */
    Var apply(Var... inputs);
}
