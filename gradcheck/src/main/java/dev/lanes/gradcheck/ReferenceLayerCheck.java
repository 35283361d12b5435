package dev.lanes.gradcheck;

import dev.lanes.gradcheck.reference.ReferenceLayer;
import dev.lanes.gradcheck.reference.ReferenceParameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Checks a double-precision {@link ReferenceLayer} (input and parameters) at
 * {@link Precision#FLOAT64} tolerances, as {@link LayerCheck} does for float layers.
 */
public final class ReferenceLayerCheck extends AbstractCheck<ReferenceLayerCheck> {
    private final ReferenceLayer layer;
    private double[] input;
    private int[] inputShape;
    private boolean training = true;
    private Runnable beforeForward = () -> { };

    ReferenceLayerCheck(ReferenceLayer layer) {
        super(Precision.FLOAT64);
        this.layer = Objects.requireNonNull(layer, "layer");
    }

    /**
     * The point to check at (copied), row-major with the given shape.
     *
     * @param values the values, row-major
     * @param dims the shape
     * @return this check
     */
    public ReferenceLayerCheck input(double[] values, int... dims) {
        int size = 1;
        for (int d : dims) {
            size *= d;
        }
        if (values.length != size) {
            throw new IllegalArgumentException("input has " + values.length + " values but shape "
                    + Arrays.toString(dims) + " needs " + size);
        }
        this.input = values.clone();
        this.inputShape = dims.clone();
        return this;
    }

    /**
     * Forward in training mode (the default) or inference mode.
     *
     * @param training true for training mode, false for inference mode
     * @return this check
     */
    public ReferenceLayerCheck training(boolean training) {
        this.training = training;
        return this;
    }

    /**
     * Runs before every forward pass of the check.
     *
     * @param hook the code to run, e.g. resetting a random layer's seed
     * @return this check
     */
    public ReferenceLayerCheck beforeForward(Runnable hook) {
        this.beforeForward = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /**
     * Runs the check.
     *
     * @return the result, when every entry passes
     * @throws GradCheckFailure naming the worst failing comparison
     */
    public GradCheckResult check() {
        if (input == null) {
            throw new IllegalStateException(layer.name() + ": give the point to check with input(values, dims...)");
        }
        double[] x = input.clone();
        List<ReferenceParameter> parameters = List.copyOf(layer.parameters());
        List<Variable> variables = new ArrayList<>();
        variables.add(Variable.of("input", x, inputShape));
        double[][] savedGrads = new double[parameters.size()][];
        for (int p = 0; p < parameters.size(); p++) {
            ReferenceParameter parameter = parameters.get(p);
            variables.add(Variable.of(parameter.name(), parameter.value(), parameter.dims()));
            savedGrads[p] = parameter.grad().clone();
        }
        int[] outputDims = layer.outputShape(inputShape.clone());
        String name = layer.name() + (training ? " (training)" : " (inference)") + " at input "
                + Arrays.toString(inputShape);
        return Engine.run(new Subject.Fixed(name, variables, outputDims) {
            @Override
            public double[] evaluate() {
                beforeForward.run();
                return layer.forward(x, inputShape.clone(), training).clone();
            }

            @Override
            public Backward backwardAtCurrentPoint() {
                beforeForward.run();
                layer.forward(x, inputShape.clone(), training);
                return upstream -> {
                    for (ReferenceParameter p : parameters) {
                        p.zeroGrad();
                    }
                    double[][] out = new double[variables.size()][];
                    out[0] = layer.backward(upstream.clone()).clone();
                    for (int p = 0; p < parameters.size(); p++) {
                        out[p + 1] = parameters.get(p).grad().clone();
                    }
                    return out;
                };
            }

            @Override
            public void finish() {
                for (int p = 0; p < parameters.size(); p++) {
                    System.arraycopy(savedGrads[p], 0, parameters.get(p).grad(), 0, savedGrads[p].length);
                }
            }
        }, settings());
    }
}
