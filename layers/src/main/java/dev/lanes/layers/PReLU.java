package dev.lanes.layers;

import dev.lanes.kernels.Activations;
import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import java.util.List;

/**
 * PReLU (He et al. 2015, "Delving Deep into Rectifiers"): y = x for x &gt; 0, a_c x otherwise,
 * with one learnable slope a_c per channel, as PyTorch's {@code nn.PReLU(num_parameters=C)}.
 *
 * <p>Input (n, C, ...) of rank 2 or more: axis 1 is the channel (the features of a Dense
 * output, the channels of an (n, C, H, W) map); the output has the input's shape. The slopes
 * start at 0.25 (PyTorch's default) and are not weight-decayed (a decayed slope drifts to ReLU).
 * The slope gradient is summed in double in index order (see {@link Activations#preluBackward}).
 */
public final class PReLU implements Layer {
    /** PyTorch's initial slope. */
    public static final float INITIAL_SLOPE = 0.25f;

    private final int channels;
    private final Parameter slope;
    private final String name;
    private final Workspace output = new Workspace();
    private final Workspace gradInput = new Workspace();
    private final Workspace inputCopy = new Workspace();
    private final Workspace gradCopy = new Workspace();
    private Tensor input;

    /**
     * A PReLU over {@code channels} channels, every slope 0.25.
     *
     * @param channels C, the number of channels (axis 1 of the input), {@code >= 1}
     * @throws IllegalArgumentException if channels is not positive
     */
    public PReLU(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("PReLU: channels must be positive, got " + channels);
        }
        this.channels = channels;
        this.slope = new Parameter("slope", Tensor.full(Shape.of(channels), INITIAL_SLOPE), false);
        this.name = "PReLU(" + channels + ")";
    }

    /** {@return the number of channels (axis 1 of the input)} */
    public int channels() {
        return channels;
    }

    /** {@return the slopes, (C)} */
    public Parameter slope() {
        return slope;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        if (inputShape.rank() < 2 || inputShape.dim(1) != channels) {
            throw Shapes.mismatch(name, "input", "(n, " + channels + ", ...)", inputShape);
        }
        return inputShape;
    }

    // y[n, c, s] = x if x > 0, else slope[c] x
    @Override
    public Tensor forward(Tensor input, boolean training) {
        Shape shape = outputShape(input.shape());
        Tensor x = inputCopy.contiguous(input);
        Tensor y = output.get(shape);
        Activations.prelu(y.data(), 0, x.data(), x.offset(), slope.value().data(), 0, shape.dim(0), channels,
                spatial(shape));
        this.input = x;
        return y;
    }

    // dL/dx = dL/dy where x > 0, else slope[c] dL/dy
    // dL/dslope[c] += Σ_{n, s: x <= 0} dL/dy · x
    @Override
    public Tensor backward(Tensor gradOutput) {
        if (input == null) {
            throw new IllegalStateException(name + ": backward before forward");
        }
        Shapes.requireEqual(name, "gradOutput", gradOutput.shape(), input.shape());
        Tensor dy = gradCopy.contiguous(gradOutput);
        Tensor dx = gradInput.get(input.shape());
        Activations.preluBackward(dx.data(), 0, slope.grad().data(), 0, dy.data(), dy.offset(), input.data(),
                input.offset(), slope.value().data(), 0, input.dim(0), channels, spatial(input.shape()));
        return dx;
    }

    private int spatial(Shape shape) {
        return shape.size() == 0 ? 0 : shape.size() / (shape.dim(0) * channels);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(slope);
    }
}
