package dev.lanes.gradcheck;

/** How a check compares the analytic gradient with finite differences. */
public enum Mode {
    /**
     * Every entry of the Jacobian: one backward pass per output element (upstream gradient a unit
     * vector) against two forward passes per input element. Exact coverage, cost about
     * outputs x inputs; for small shapes.
     */
    FULL,
    /**
     * Random directions: for random u (output space) and v (input space), u^T J v from one
     * backward pass against the central difference of u^T f along v, two forward passes per
     * direction and variable. Cost independent of the size; for large shapes. A wrong entry of J
     * shows up in every direction that weighs it, but small localized errors in a large tensor
     * can drown in the tolerance: prefer {@link #FULL} on a small instance of the same layer.
     */
    DIRECTIONS,
    /**
     * {@link #FULL} when outputs x (sum of variable sizes) is at most the full-Jacobian limit
     * ({@link AbstractCheck#fullJacobianLimit}, default {@value AbstractCheck#DEFAULT_FULL_LIMIT}),
     * else {@link #DIRECTIONS}. The default.
     */
    AUTO
}
