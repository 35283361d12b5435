package dev.lanes.autodiff;

import dev.lanes.autodiff.Autodiff;
import dev.lanes.autodiff.Function;
import dev.lanes.autodiff.Losses;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

public class TwoLayerNetwork {
    public static void main(String[] args) {
        Tensor x = Tensor.randn(Shape.of(8, 4), 1);                  // 8 examples, 4 features
        Tensor labels = Tensor.fromArray(new float[] {0, 1, 2, 1, 0, 2, 2, 1}, 8);
        Tensor w1 = Tensor.randn(Shape.of(4, 16), 0f, 0.5f, 2);      // the parameters
        Tensor w2 = Tensor.randn(Shape.of(16, 3), 0f, 0.25f, 3);

        // A differentiable program from the parameters to the loss: L = CE(tanh(x W1) W2, labels)
        Function loss = w -> Losses.softmaxCrossEntropy(
                w[0].tape().constant(x).matmul(w[0]).tanh().matmul(w[1]), labels);

        // Reverse mode: the value and both gradients, dL/dW1 and dL/dW2, by one backward pass
        Autodiff.ValueAndGrad reverse = Autodiff.valueAndGrad(loss, w1, w2);
        System.out.println("loss " + reverse.value().item());

        // Forward mode: the derivative along a direction (V1, V2), by one forward pass
        Tensor v1 = Tensor.randn(w1.shape(), 4);
        Tensor v2 = Tensor.randn(w2.shape(), 5);
        float slope = Autodiff.jvp(loss, new Tensor[] {w1, w2}, new Tensor[] {v1, v2}).tangent().item();

        // Both modes give the same number: <dL/dW1, V1> + <dL/dW2, V2>
        float fromGradient = reverse.gradient(0).mul(v1).sum() + reverse.gradient(1).mul(v2).sum();
        System.out.println("directional derivative " + slope + " (forward), " + fromGradient + " (reverse)");
    }
}
