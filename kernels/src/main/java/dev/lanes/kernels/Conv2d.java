package dev.lanes.kernels;

import dev.lanes.kernels.spi.Conv2dKernel;

/**
 * 2-D convolution (cross-correlation, as in every deep-learning library), NCHW, float32: the
 * forward pass with fused bias and optional ReLU, the gradient with respect to the input and the
 * gradients with respect to the weight and the bias.
 *
 * <p>One {@code Conv2d} per convolution layer: it holds the plan for its {@link ConvGeometry}
 * and the workspaces, which reach their steady size on the first call of each pass, so repeated
 * calls allocate nothing. An instance is not thread-safe (one pass at a time); each pass runs on
 * the {@link Parallel} threads and its result bits do not depend on the thread count.
 *
 * <p>Layouts, all row-major: input (N, C, H, W), output (N, K, P, Q), weight (K, C/groups, R, S),
 * bias (K). Arguments are checked before anything is written; a bad one throws
 * {@link IllegalArgumentException} naming it and the sizes. Inputs and outputs must not overlap.
 */
public final class Conv2d {
    private static final Conv2dKernel IMPL = KernelProvider.KERNELS.conv2d();

    private final ConvGeometry geometry;
    private final Conv2dKernel.Plan plan;

    /**
     * A convolution of the given geometry.
     *
     * @param geometry the convolution: sizes, stride, padding, dilation and groups
     */
    public Conv2d(ConvGeometry geometry) {
        Check.notNull("geometry", geometry);
        this.geometry = geometry;
        this.plan = IMPL.plan(geometry);
    }

    /** {@return the geometry this convolution was made for} */
    public ConvGeometry geometry() {
        return geometry;
    }

    /** {@return the implementation in use: its simple class name} */
    public static String implementation() {
        return IMPL.getClass().getSimpleName();
    }

    /** {@return bytes of workspace held now} */
    public long workspaceBytes() {
        return plan.workspaceBytes();
    }

    /**
     * out (N, K, P, Q) = conv(in (N, C, H, W), weight (K, C/groups, R, S)) + bias (K), then
     * {@code max(0, .)} when {@code relu} (NaN stays NaN). {@code bias} may be null.
     *
     * @param out the output (N, K, P, Q), row-major
     * @param offOut the index in {@code out} of its first element
     * @param in the input (N, C, H, W), row-major
     * @param offIn the index in {@code in} of its first element
     * @param weight the weight (K, C/groups, R, S), row-major
     * @param offWeight the index in {@code weight} of its first element
     * @param bias the bias (K), or null for none
     * @param offBias the index in {@code bias} of its first element
     * @param batch N, the number of images, {@code >= 0}
     * @param relu true to apply {@code max(0, .)} to the result
     */
    public void forward(float[] out, int offOut, float[] in, int offIn, float[] weight, int offWeight,
                        float[] bias, int offBias, int batch, boolean relu) {
        Check.nonNegative("batch", batch);
        Check.images("out", out, offOut, batch, geometry.outputSize());
        Check.images("in", in, offIn, batch, geometry.inputSize());
        Check.range("weight", weight, offWeight, geometry.weightSize());
        if (bias != null) {
            Check.range("bias", bias, offBias, geometry.outChannels());
        }
        Check.disjoint("out", out, offOut, batch * (long) geometry.outputSize(), "in", in, offIn,
                batch * (long) geometry.inputSize());
        Check.disjoint("out", out, offOut, batch * (long) geometry.outputSize(), "weight", weight, offWeight,
                geometry.weightSize());
        if (bias != null) {
            Check.disjoint("out", out, offOut, batch * (long) geometry.outputSize(), "bias", bias, offBias,
                    geometry.outChannels());
        }
        if (batch > 0) {
            plan.forward(out, offOut, in, offIn, weight, offWeight, bias, offBias, batch, relu);
        }
    }

    /**
     * gradIn (N, C, H, W) = the gradient with respect to the input of {@code sum(gradOut * conv(in))}
     * for gradOut (N, K, P, Q) and weight (K, C/groups, R, S): the transposed convolution. Overwrites
     * gradIn.
     *
     * @param gradIn dL/d(input) (N, C, H, W), overwritten
     * @param offGradIn the index in {@code gradIn} of its first element
     * @param gradOut dL/d(output) (N, K, P, Q)
     * @param offGradOut the index in {@code gradOut} of its first element
     * @param weight the weight (K, C/groups, R, S)
     * @param offWeight the index in {@code weight} of its first element
     * @param batch N, the number of images, {@code >= 0}
     */
    public void backwardData(float[] gradIn, int offGradIn, float[] gradOut, int offGradOut,
                             float[] weight, int offWeight, int batch) {
        Check.nonNegative("batch", batch);
        Check.images("gradIn", gradIn, offGradIn, batch, geometry.inputSize());
        Check.images("gradOut", gradOut, offGradOut, batch, geometry.outputSize());
        Check.range("weight", weight, offWeight, geometry.weightSize());
        Check.disjoint("gradIn", gradIn, offGradIn, batch * (long) geometry.inputSize(), "gradOut", gradOut,
                offGradOut, batch * (long) geometry.outputSize());
        Check.disjoint("gradIn", gradIn, offGradIn, batch * (long) geometry.inputSize(), "weight", weight,
                offWeight, geometry.weightSize());
        if (batch > 0) {
            plan.backwardData(gradIn, offGradIn, gradOut, offGradOut, weight, offWeight, batch);
        }
    }

    /**
     * gradWeight (K, C/groups, R, S) = sum over n, p, q of gradOut (N, K, P, Q) times the input
     * window (N, C, H, W); gradBias (K) = the sum of gradOut over n, p, q ({@code null} skips it).
     * With {@code accumulate} the sums are added to the old contents ({@code +=}, as layers
     * accumulate parameter gradients), else they overwrite them.
     *
     * @param gradWeight dL/d(weight) (K, C/groups, R, S)
     * @param offGradWeight the index in {@code gradWeight} of its first element
     * @param gradBias dL/d(bias) (K), or null to skip it
     * @param offGradBias the index in {@code gradBias} of its first element
     * @param gradOut dL/d(output) (N, K, P, Q)
     * @param offGradOut the index in {@code gradOut} of its first element
     * @param in the forward input (N, C, H, W)
     * @param offIn the index in {@code in} of its first element
     * @param batch N, the number of images, {@code >= 0}
     * @param accumulate true to add to the gradients, false to overwrite them
     */
    public void backwardWeights(float[] gradWeight, int offGradWeight, float[] gradBias, int offGradBias,
                                float[] gradOut, int offGradOut, float[] in, int offIn, int batch,
                                boolean accumulate) {
        Check.nonNegative("batch", batch);
        Check.range("gradWeight", gradWeight, offGradWeight, geometry.weightSize());
        if (gradBias != null) {
            Check.range("gradBias", gradBias, offGradBias, geometry.outChannels());
            Check.disjoint("gradWeight", gradWeight, offGradWeight, geometry.weightSize(), "gradBias", gradBias,
                    offGradBias, geometry.outChannels());
        }
        Check.images("gradOut", gradOut, offGradOut, batch, geometry.outputSize());
        Check.images("in", in, offIn, batch, geometry.inputSize());
        Check.disjoint("gradWeight", gradWeight, offGradWeight, geometry.weightSize(), "gradOut", gradOut,
                offGradOut, batch * (long) geometry.outputSize());
        Check.disjoint("gradWeight", gradWeight, offGradWeight, geometry.weightSize(), "in", in, offIn,
                batch * (long) geometry.inputSize());
        if (batch > 0) {
            plan.backwardWeights(gradWeight, offGradWeight, gradBias, offGradBias, gradOut, offGradOut, in,
                    offIn, batch, accumulate);
        } else if (!accumulate) {
            java.util.Arrays.fill(gradWeight, offGradWeight, offGradWeight + geometry.weightSize(), 0f);
            if (gradBias != null) {
                java.util.Arrays.fill(gradBias, offGradBias, offGradBias + geometry.outChannels(), 0f);
            }
        }
    }
}
