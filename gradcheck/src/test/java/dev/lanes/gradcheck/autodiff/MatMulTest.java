package dev.lanes.gradcheck.autodiff;

import static org.quicktheories.generators.SourceDSL.integers;

import dev.lanes.autodiff.Function;
import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Values;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Matrix products: two matrices with either operand given transposed (a transposed Var goes to
 * the GEMM as a transpose, and its gradient comes back transposed), and batched products whose
 * batch axes broadcast (one operand shared by the batch, or batch axes of size 1).
 */
class MatMulTest {
    @Test
    void matrices() {
        Cases.qt(1621).forAll(integers().between(1, 5), integers().between(1, 5), integers().between(1, 5),
                Gens.seeds()).checkAssert((m, k, n, seed) -> {
                    int layout = (int) (seed % 4);
                    boolean ta = (layout & 1) != 0;
                    boolean tb = (layout & 2) != 0;
                    Tensor a = Values.uniform(ta ? Shape.of(k, m) : Shape.of(m, k), seed, -2, 2);
                    Tensor b = Values.uniform(tb ? Shape.of(n, k) : Shape.of(k, n), seed + 1, -2, 2);
                    Function f = in -> (ta ? in[0].transpose() : in[0]).matmul(tb ? in[1].transpose() : in[1]);
                    Oracles.check("matmul " + m + "x" + k + "x" + n + " layout " + layout, f, seed, a, b);
                });
    }

    @Test
    void batched() {
        Cases.qt(1623).forAll(integers().between(1, 3), integers().between(1, 4), integers().between(1, 4),
                Gens.seeds()).checkAssert((batch, m, n, seed) -> {
                    int broadcast = (int) (seed % 3);
                    int k = 3;
                    Shape sa = broadcast == 1 ? Shape.of(m, k) : Shape.of(batch, m, k);
                    Shape sb = broadcast == 2 ? Shape.of(1, k, n) : Shape.of(batch, k, n);
                    Tensor a = Values.uniform(sa, seed, -2, 2);
                    Tensor b = Values.uniform(sb, seed + 1, -2, 2);
                    Oracles.check("batched matmul " + sa + " @ " + sb, in -> in[0].matmul(in[1]), seed, a, b);
                });
    }
}
