package dev.lanes.recurrent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.gradcheck.Values;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.loss.MeanSquaredError;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exploding gradients, and the optimizer's clipping by global norm taming them (Pascanu, Mikolov
 * and Bengio, 2013): a ReLU recurrent layer whose recurrent weights grow a state by 1.25 per step
 * backpropagates a gradient about 1.25^40 times too large through 40 steps. Plain SGD then jumps
 * far away and the loss explodes; the same SGD with the gradient clipped to norm 1 keeps the
 * direction, takes a bounded step and lowers the loss.
 */
class GradientClippingTest {
    private static final int STEPS = 40;
    private static final int HIDDEN = 8;

    /** The losses of 15 SGD steps (learning rate 0.01) from the same start, clipped or not. */
    private static double[] train(boolean clip) {
        SimpleRnn rnn = new SimpleRnn(2, HIDDEN, SimpleRnn.Nonlinearity.RELU, RecurrentOptions.DEFAULT, 3);
        float[] recurrent = rnn.parameters().get(1).value().data();
        java.util.Arrays.fill(recurrent, 0f);
        for (int j = 0; j < HIDDEN; j++) {
            recurrent[j * HIDDEN + j] = 1.25f;
        }
        float[] input = rnn.parameters().get(0).value().data();
        for (int i = 0; i < input.length; i++) {
            input[i] = Math.abs(input[i]); // positive pre-activations: the ReLUs stay open
        }
        Dense head = new Dense(HIDDEN, 1, 4);
        List<Parameter> parameters = new ArrayList<>(rnn.parameters());
        parameters.addAll(head.parameters());
        Sgd sgd = new Sgd(parameters, 0.01);
        if (clip) {
            sgd.clipGradientNorm(1.0);
        }
        Tensor x = Values.uniform(Shape.of(8, STEPS, 2), 5, 0, 1);
        Tensor y = Values.uniform(Shape.of(8, 1), 6, -1, 1);
        MeanSquaredError mse = new MeanSquaredError();
        double[] losses = new double[15];
        for (int step = 0; step < losses.length; step++) {
            losses[step] = mse.forward(head.forward(rnn.forward(x, true), true), y);
            rnn.backward(head.backward(mse.backward()));
            sgd.step();
            if (clip && step == 0) {
                assertTrue(sgd.lastGradientNorm() > 1e3, "the first gradient's norm before clipping was "
                        + sgd.lastGradientNorm());
            }
        }
        return losses;
    }

    @Test
    void clippingTamesAnExplodingGradient() {
        double[] plain = train(false);
        double[] clipped = train(true);
        double worst = 0;
        for (double loss : plain) {
            worst = Double.isFinite(loss) ? Math.max(worst, loss) : Double.POSITIVE_INFINITY;
        }
        assertTrue(worst > 1e6 * plain[0], "without clipping the loss went from " + plain[0] + " up to " + worst);
        for (double loss : clipped) {
            assertTrue(Double.isFinite(loss) && loss <= clipped[0] * 1.5, "clipped loss " + loss + " from "
                    + clipped[0] + ": " + java.util.Arrays.toString(clipped));
        }
        assertTrue(clipped[clipped.length - 1] < 0.5 * clipped[0], "with clipping the loss went from " + clipped[0]
                + " to " + clipped[clipped.length - 1]);
    }
}
