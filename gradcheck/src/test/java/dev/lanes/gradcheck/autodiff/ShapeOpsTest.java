package dev.lanes.gradcheck.autodiff;

import static org.quicktheories.generators.SourceDSL.integers;

import dev.lanes.autodiff.Function;
import dev.lanes.autodiff.Nn;
import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Values;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The shape operations over generated shapes of rank 1 to 3, each followed by a product with a
 * fixed weight tensor so that a permutation of the gradient shows: reshape (also of a permuted,
 * non-contiguous view), permute, transpose, slice with a step, expand, concatenation, stacking
 * and gather by integer indices (repeats included, whose gradients add).
 */
class ShapeOpsTest {
    /** f followed by an elementwise product with fixed weights of the output's shape, summed per last axis. */
    static Function weighted(Function f, long seed) {
        return in -> {
            var y = f.apply(in);
            Tensor w = Values.uniform(y.shape(), seed + 99, 0.5, 2);
            return y.mul(y.tape().constant(w));
        };
    }

    @Test
    void viewsAndJoins() {
        Cases.qt(1641).forAll(integers().between(0, 7), Gens.shapes(1, 3, 4), Gens.seeds())
                .checkAssert((op, shape, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    int rank = shape.rank();
                    int axis = random.nextInt(rank);
                    Tensor x = Values.uniform(shape, seed, -2, 2);
                    Tensor other = Values.uniform(shape, seed + 1, -2, 2);
                    int[] order = permutation(rank, random);
                    int size = shape.dim(axis);
                    int start = random.nextInt(size);
                    int end = start + 1 + random.nextInt(size - start);
                    int step = 1 + random.nextInt(2);
                    Tensor index = indices(shape, axis, random);
                    String name = "shape op " + op + " " + shape + " axis " + axis;
                    switch (op) {
                        case 0 -> Oracles.check(name, weighted(in -> in[0].reshape(-1), seed), seed, x);
                        case 1 -> Oracles.check(name, weighted(in -> in[0].permute(order).reshape(shape.size(), 1), seed),
                                seed, x);
                        case 2 -> Oracles.check(name, weighted(in -> in[0].transpose(0, rank - 1), seed), seed, x);
                        case 3 -> Oracles.check(name, weighted(in -> in[0].slice(axis, start, end, step), seed), seed, x);
                        case 4 -> Oracles.check(name, weighted(in -> in[0].expand(withLeading(shape, 2)), seed), seed, x);
                        case 5 -> Oracles.check(name, weighted(in -> Nn.concat(axis, in[0], in[1], in[0]), seed), seed,
                                x, other);
                        case 6 -> Oracles.check(name, weighted(in -> Nn.stack(axis, in[0], in[1]), seed), seed, x, other);
                        default -> Oracles.check(name, weighted(in -> in[0].gather(axis, index), seed), seed, x);
                    }
                });
    }

    private static int[] permutation(int rank, SplittableRandom random) {
        int[] order = new int[rank];
        for (int i = 0; i < rank; i++) {
            order[i] = i;
        }
        for (int i = rank - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static int[] withLeading(Shape shape, int lead) {
        int[] dims = new int[shape.rank() + 1];
        dims[0] = lead;
        System.arraycopy(shape.dims(), 0, dims, 1, shape.rank());
        return dims;
    }

    /** Indices along axis with 1 to 5 picks per position, repeats allowed. */
    private static Tensor indices(Shape shape, int axis, SplittableRandom random) {
        int[] dims = shape.dims().clone();
        dims[axis] = 1 + random.nextInt(5);
        Tensor index = Tensor.zeros(dims);
        for (int i = 0; i < index.size(); i++) {
            index.data()[i] = random.nextInt(shape.dim(axis));
        }
        return index;
    }
}
