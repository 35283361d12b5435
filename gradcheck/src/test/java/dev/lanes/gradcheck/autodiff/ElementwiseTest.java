package dev.lanes.gradcheck.autodiff;

import static org.quicktheories.generators.SourceDSL.integers;

import dev.lanes.autodiff.Function;
import dev.lanes.gradcheck.Cases;
import dev.lanes.gradcheck.Gens;
import dev.lanes.gradcheck.Values;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The elementwise operations over generated shapes and values, each case checked by central
 * differences and by forward/reverse agreement: the four arithmetic operations with broadcast
 * operands (an operand loses leading axes or has some axes of size 1, on either side), the scalar
 * forms, and the functions exp, log, sqrt, pow, square, abs and clamp on their domains, away from
 * their kinks.
 */
class ElementwiseTest {
    /** b's shape: a's with some leading axes dropped and some axes set to 1 (chosen by the seed). */
    static Shape broadcastFrom(Shape a, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int drop = random.nextInt(a.rank() + 1);
        int[] dims = java.util.Arrays.copyOfRange(a.dims(), drop, a.rank());
        for (int i = 0; i < dims.length; i++) {
            if (random.nextInt(3) == 0) {
                dims[i] = 1;
            }
        }
        return Shape.of(dims);
    }

    @Test
    void arithmeticWithBroadcasting() {
        Cases.qt(1601).forAll(integers().between(0, 3), Gens.shapes(0, 3, 4), integers().between(0, 1), Gens.seeds())
                .checkAssert((op, shape, swap, seed) -> {
                    Shape other = broadcastFrom(shape, seed);
                    Shape left = swap == 0 ? shape : other;
                    Shape right = swap == 0 ? other : shape;
                    Tensor a = Values.uniform(left, seed, -2, 2);
                    Tensor b = op == 3 ? Values.awayFrom(right, seed + 1, -2, 2, 0.5, 0)
                            : Values.uniform(right, seed + 1, -2, 2);
                    Function f = switch (op) {
                        case 0 -> in -> in[0].add(in[1]);
                        case 1 -> in -> in[0].sub(in[1]);
                        case 2 -> in -> in[0].mul(in[1]);
                        default -> in -> in[0].div(in[1]);
                    };
                    Oracles.check("arithmetic " + op + " " + left + ", " + right, f, seed, a, b);
                });
    }

    @Test
    void scalarForms() {
        Cases.qt(1603).forAll(integers().between(0, 4), Gens.shapes(0, 3, 4), Gens.seeds())
                .checkAssert((op, shape, seed) -> {
                    Function f = switch (op) {
                        case 0 -> in -> in[0].add(1.5f);
                        case 1 -> in -> in[0].sub(0.25f);
                        case 2 -> in -> in[0].mul(-3f);
                        case 3 -> in -> in[0].div(0.7f);
                        default -> in -> in[0].neg().mul(in[0]);
                    };
                    Oracles.check("scalar " + op + " " + shape, f, seed, Values.uniform(shape, seed, -2, 2));
                });
    }

    @Test
    void functions() {
        Cases.qt(1605).forAll(integers().between(0, 7), Gens.shapes(0, 3, 4), Gens.seeds())
                .checkAssert((op, shape, seed) -> {
                    Tensor positive = Values.uniform(shape, seed, 0.3, 3);
                    Tensor kinkFree = Values.awayFrom(shape, seed, -2, 2, 0.05, 0, -1, 1);
                    switch (op) {
                        case 0 -> Oracles.check("exp " + shape, in -> in[0].exp(), seed, kinkFree);
                        case 1 -> Oracles.check("log " + shape, in -> in[0].log(), seed, positive);
                        case 2 -> Oracles.check("sqrt " + shape, in -> in[0].sqrt(), seed, positive);
                        case 3 -> Oracles.check("pow 2.5 " + shape, in -> in[0].pow(2.5f), seed, positive);
                        case 4 -> Oracles.check("pow -1.5 " + shape, in -> in[0].pow(-1.5f), seed, positive);
                        case 5 -> Oracles.check("square " + shape, in -> in[0].square(), seed, kinkFree);
                        case 6 -> Oracles.check("abs " + shape, in -> in[0].abs(), seed, kinkFree);
                        default -> Oracles.check("clamp " + shape, in -> in[0].clamp(-1f, 1f), seed, kinkFree);
                    }
                });
    }
}
