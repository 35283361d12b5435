package dev.lanes.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.gradcheck.GradCheck;
import dev.lanes.gradcheck.reference.ReferenceParameter;
import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;

/**
 * Every cell and layer over generated N, T, features, hidden sizes, layers, directions, output
 * modes, biases and lengths, with random initial states and gradients of the final states: the
 * float layers' gradients against central differences, the double reference's gradients against
 * central differences at double tolerance, and the float layers' outputs and gradients against
 * the reference.
 *
 * <p>The simple RNN with ReLU is checked against the reference (and the reference against finite
 * differences in double, whose step is far below any pre-activation's distance from the kink),
 * not by float finite differences: its pre-activations are inner values the test cannot keep
 * away from the kink at 0, and a float step of 1e-3 crossing it gives a wrong numeric slope.
 */
class RecurrentGradientTest {
    private static final RecurrentReference.Kind[] SMOOTH = {RecurrentReference.Kind.RNN_TANH,
        RecurrentReference.Kind.LSTM, RecurrentReference.Kind.GRU};
    /** Float versus double: |float - double| <= RELATIVE (|double| + rms + 1), as in gradcheck's layer laws. */
    private static final double RELATIVE = 1e-4;

    private static QuickTheory qt(long seed, int cases) {
        // QuickTheories 0.26 runs one case fewer than withExamples asks for
        return QuickTheory.qt().withFixedSeed(seed).withExamples(cases + 1);
    }

    @Test
    void floatGradientsMatchFiniteDifferences() {
        qt(1701, 120).forAll(RecurrentCase.cases(SMOOTH)).checkAssert(c -> {
            StateAdapter adapter = c.adapter();
            GradCheck.layer(adapter).input(c.input()).seed(c.seed()).check();
        });
    }

    @Test
    void referenceGradientsMatchFiniteDifferences() {
        qt(1702, 60).forAll(RecurrentCase.cases(RecurrentReference.Kind.values())).checkAssert(c -> {
            RecurrentReference reference = c.reference(c.adapter());
            double[] x = LayerTesting.toDouble(c.input());
            GradCheck.layer(reference).input(x, c.inputShape().dims()).seed(c.seed()).check();
        });
    }

    @Test
    void layersAgreeWithTheReference() {
        qt(1703, 150).forAll(RecurrentCase.cases(RecurrentReference.Kind.values())).checkAssert(c -> {
            StateAdapter adapter = c.adapter();
            RecurrentReference reference = c.reference(adapter);
            Tensor x = c.input();
            String context = c.toString();
            Tensor y = adapter.forward(x, true).copy();
            double[] expected = reference.forward(LayerTesting.toDouble(x), x.shape().dims(), true);
            LayerTesting.assertClose(context + ": forward", y, expected, RELATIVE);
            Tensor g = dev.lanes.gradcheck.Values.uniform(y.shape(), c.seed() + 7, -1, 1);
            Tensor dx = adapter.backward(g).copy();
            LayerTesting.assertClose(context + ": input gradient", dx, reference.backward(LayerTesting.toDouble(g)),
                    RELATIVE);
            List<Parameter> parameters = adapter.parameters();
            List<ReferenceParameter> twins = reference.parameters();
            assertEquals(twins.size(), parameters.size(), context + ": parameter count");
            for (int i = 0; i < parameters.size(); i++) {
                assertEquals(twins.get(i).name(), parameters.get(i).name(), context + ": parameter order");
                LayerTesting.assertClose(context + ": gradient of " + parameters.get(i).name(),
                        parameters.get(i).grad(), twins.get(i).grad(), RELATIVE);
            }
        });
    }
}
