package dev.lanes.gradcheck;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.GradCheckFailure;
import dev.lanes.layers.Conv2d;
import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example of docs/CORRECTNESS.md ("Checking your own layer"), kept here so it compiles and passes; the
 * last test shows that the same check fails once the backward pass is wrong.
 */
class ReadmeExampleTest {

    /** y[n][f] = scale[f] * x[n][f]^2: a user's own layer, one trainable scale per feature. */
    static final class Square implements Layer {
        private final Parameter scale;
        private final boolean bug;
        private Tensor x;

        Square(int features, boolean bug) {
            this.scale = new Parameter("scale", Tensor.randn(Shape.of(features), 7), false);
            this.bug = bug;
        }

        @Override
        public String name() {
            return "Square";
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public Tensor forward(Tensor input, boolean training) {
            x = input;
            Tensor y = Tensor.zeros(input.shape());
            for (int n = 0; n < input.dim(0); n++) {
                for (int f = 0; f < input.dim(1); f++) {
                    y.set(n, f, scale.value().get(f) * x.get(n, f) * x.get(n, f));
                }
            }
            return y;
        }

        @Override
        public Tensor backward(Tensor g) {
            Tensor dx = Tensor.zeros(x.shape());
            for (int n = 0; n < x.dim(0); n++) {
                for (int f = 0; f < x.dim(1); f++) {
                    float factor = bug ? 1 : 2;
                    dx.set(n, f, factor * scale.value().get(f) * x.get(n, f) * g.get(n, f));
                    scale.grad().set(f, scale.grad().get(f) + x.get(n, f) * x.get(n, f) * g.get(n, f));
                }
            }
            return dx;
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(scale);
        }
    }

    @Test
    void myLayerBackwardMatchesFiniteDifferences() {
        GradCheck.layer(new Square(3, false)).input(4, 3).seed(42).check();
    }

    @Test
    void lanesLayersAreCheckedTheSameWay() {
        Conv2d conv = Conv2d.builder(2, 4, 3).stride(2).padding(1).seed(5).build();
        GradCheck.layer(conv).input(2, 2, 7, 7).seed(42).check();
    }

    @Test
    void aWrongBackwardFails() {
        assertThrows(GradCheckFailure.class,
                () -> GradCheck.layer(new Square(3, true)).input(4, 3).seed(42).check());
    }
}
