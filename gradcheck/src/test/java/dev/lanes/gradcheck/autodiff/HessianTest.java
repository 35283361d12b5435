package dev.lanes.gradcheck.autodiff;

import static org.quicktheories.generators.SourceDSL.integers;

import dev.lanes.autodiff.Autodiff;
import dev.lanes.autodiff.Function;
import dev.lanes.autodiff.Var;
import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Values;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Hessian-vector products (forward-over-reverse) against central differences of the reverse-mode
 * gradient: the gradient's Jacobian is the Hessian, which is symmetric, so the gradient checker's
 * vector-Jacobian product of the gradient is H·u. Scalar functions Σ c ⊙ op(x) with fixed weights c
 * (so every element of the Hessian differs): the elementwise subset (products and quotients of x
 * with itself and with a broadcast constant, exp, log, sqrt, pow, square, reductions and a
 * broadcast sum of x back onto itself) and matrix products in which x appears twice (x·xᵀ, the
 * batched x·xᵀ, x·W·xᵀ). The losses are in {@code AutodiffLossTest}, the activations in
 * {@code AutodiffActivationTest}.
 */
class HessianTest {
    /** Σ c ⊙ op(x), c uniform on [0.5, 2) from the seed, shaped like op's result. */
    static Function weighted(java.util.function.UnaryOperator<Var> op, long seed) {
        return in -> {
            Var y = op.apply(in[0]);
            Tensor c = Values.uniform(y.shape(), seed + 31, 0.5, 2);
            return y.mul(y.tape().constant(c)).sum();
        };
    }

    static void check(String name, Function f, Tensor x, long seed) {
        GradCheck.function("hvp of " + name, point -> Autodiff.grad(f, point).get(0),
                (point, u) -> Autodiff.hvp(f, point, u)).input(x).seed(seed).check();
    }

    @Test
    void elementwise() {
        Cases.qt(1701).forAll(integers().between(0, 9), Gens.shapes(1, 3, 4), Gens.seeds())
                .checkAssert((op, shape, seed) -> {
                    Tensor positive = Values.uniform(shape, seed, 0.5, 2.5);
                    Tensor any = Values.uniform(shape, seed, -1.5, 1.5);
                    Tensor b = Values.uniform(shape.rank() > 1 ? Shape.of(1, shape.dim(shape.rank() - 1))
                            : Shape.of(1), seed + 2, 0.5, 2);
                    String name = "elementwise " + op + " " + shape;
                    switch (op) {
                        case 0 -> check(name, weighted(x -> x.mul(x), seed), any, seed);
                        case 1 -> check(name, weighted(x -> x.div(x.square().add(1f)), seed), any, seed);
                        case 2 -> check(name, weighted(x -> x.sub(x.tape().constant(b)).mul(x.add(0.5f)), seed),
                                any, seed);
                        case 3 -> check(name, weighted(x -> x.tape().constant(b).div(x), seed), positive, seed);
                        case 4 -> check(name, weighted(x -> x.exp().mul(x), seed), any, seed);
                        case 5 -> check(name, weighted(Var::log, seed), positive, seed);
                        case 6 -> check(name, weighted(Var::sqrt, seed), positive, seed);
                        case 7 -> check(name, weighted(x -> x.pow(-1.5f), seed), positive, seed);
                        case 8 -> check(name, weighted(x -> x.mul(x.sum(-1, true)), seed), any, seed);
                        default -> check(name, weighted(x -> x.square().mean().mul(x).square(), seed), any, seed);
                    }
                });
    }

    @Test
    void matrixProducts() {
        Cases.qt(1703).forAll(integers().between(0, 2), integers().between(1, 4), integers().between(1, 4),
                Gens.seeds()).checkAssert((op, m, k, seed) -> {
                    String name = "matmul " + op + " " + m + "x" + k;
                    switch (op) {
                        case 0 -> check(name, weighted(x -> x.matmul(x.transpose()), seed),
                                Values.uniform(Shape.of(m, k), seed, -1.5, 1.5), seed);
                        case 1 -> check(name, weighted(x -> x.matmul(x.transpose()), seed),
                                Values.uniform(Shape.of(2, m, k), seed, -1.5, 1.5), seed);
                        default -> {
                            Tensor w = Values.uniform(Shape.of(k, k), seed + 3, -1, 1);
                            check(name, weighted(x -> x.matmul(x.tape().constant(w)).matmul(x.transpose()), seed),
                                    Values.uniform(Shape.of(m, k), seed, -1.5, 1.5), seed);
                        }
                    }
                });
    }
}
