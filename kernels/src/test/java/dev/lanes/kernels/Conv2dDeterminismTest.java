package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.lanes.kernels.panama.conv.PanamaConv2d;
import dev.lanes.kernels.spi.Conv2dKernel;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The result bits of every pass are the same for 1, 2, 3 and 7 threads and from call to call,
 * on shapes that make several column blocks, several weight-gradient chunks, row blocks, and
 * the direct path's row blocks and chunks.
 */
@Tag("panama")
class Conv2dDeterminismTest {
    private static final int[] THREADS = {1, 2, 3, 7};
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    static Stream<Arguments> shapes() {
        Function<ConvGeometry, Conv2dKernel.Plan> gemm = PanamaConv2d::gemmPlan;
        Function<ConvGeometry, Conv2dKernel.Plan> direct = PanamaConv2d::directPlan;
        return Stream.of(
                Arguments.of("gemm, many multi-image blocks", gemm,
                        ConvGeometry.builder().input(8, 12, 12).outChannels(16).kernel(3, 3).padding(1).build(), 37),
                Arguments.of("gemm, row blocks", gemm,
                        ConvGeometry.builder().input(16, 12, 100).outChannels(8).kernel(5, 5).build(), 5),
                Arguments.of("gemm, groups, batch 1", gemm,
                        ConvGeometry.builder().input(12, 20, 20).outChannels(24).kernel(3, 3).padding(1).groups(3).build(), 1),
                Arguments.of("direct, first layer", direct,
                        ConvGeometry.builder().input(1, 28, 28).outChannels(6).kernel(5, 5).padding(2).build(), 23),
                Arguments.of("direct, depthwise stride 2", direct,
                        ConvGeometry.builder().input(6, 17, 17).outChannels(6).kernel(3, 3).padding(1).stride(2, 2).groups(6).build(), 3),
                Arguments.of("direct, batch 1", direct,
                        ConvGeometry.builder().input(2, 40, 33).outChannels(5).kernel(3, 3).build(), 1));
    }

    /**
     * The first call runs in the interpreter, later ones in C2: the bits must not change (a float
     * {@code reduceLanes(ADD)}, for one, sums in a different order once compiled).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("smallShapes")
    void sameBitsBeforeAndAfterCompilation(String name, Function<ConvGeometry, Conv2dKernel.Plan> factory,
                                           ConvGeometry g, int batch) {
        SplittableRandom random = new SplittableRandom(name.hashCode());
        float[] in = ConvTesting.random(random, batch * g.inputSize());
        float[] weight = ConvTesting.random(random, g.weightSize());
        float[] bias = ConvTesting.random(random, g.outChannels());
        float[] gradOut = ConvTesting.random(random, batch * g.outputSize());
        Conv2dKernel.Plan plan = factory.apply(g);
        float[][] first = null;
        for (int call = 0; call < 800; call++) {
            float[][] results = allPasses(plan, in, weight, bias, gradOut, batch, false);
            if (first == null) {
                first = results;
            } else if (call % 100 == 0 || call == 799) {
                for (int i = 0; i < results.length; i++) {
                    assertArrayEquals(first[i], results[i], name + ": result " + i + " changed at call " + call);
                }
            }
        }
    }

    static Stream<Arguments> smallShapes() {
        Function<ConvGeometry, Conv2dKernel.Plan> gemm = PanamaConv2d::gemmPlan;
        Function<ConvGeometry, Conv2dKernel.Plan> direct = PanamaConv2d::directPlan;
        ConvGeometry g = ConvGeometry.builder().input(4, 5, 19).outChannels(6).kernel(3, 3).padding(1).build();
        return Stream.of(Arguments.of("gemm", gemm, g, 2), Arguments.of("direct", direct, g, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void sameBitsForAnyThreadCount(String name, Function<ConvGeometry, Conv2dKernel.Plan> factory, ConvGeometry g,
                                   int batch) {
        SplittableRandom random = new SplittableRandom(name.hashCode());
        float[] in = ConvTesting.random(random, batch * g.inputSize());
        float[] weight = ConvTesting.random(random, g.weightSize());
        float[] bias = ConvTesting.random(random, g.outChannels());
        float[] gradOut = ConvTesting.random(random, batch * g.outputSize());
        float[][] first = null;
        for (int threads : THREADS) {
            Parallel.setThreads(threads);
            Conv2dKernel.Plan plan = factory.apply(g);
            for (int call = 0; call < 2; call++) {
                float[][] results = allPasses(plan, in, weight, bias, gradOut, batch, true);
                if (first == null) {
                    first = results;
                }
                String[] names = {"forward", "backwardData", "gradWeight", "gradBias"};
                for (int i = 0; i < results.length; i++) {
                    assertArrayEquals(first[i], results[i],
                            name + ": " + names[i] + " with " + threads + " threads, call " + call);
                }
            }
        }
    }

    /** {forward, backwardData, gradWeight, gradBias} of one call of each pass, in fresh arrays. */
    private static float[][] allPasses(Conv2dKernel.Plan plan, float[] in, float[] weight, float[] bias,
                                       float[] gradOut, int batch, boolean relu) {
        float[] out = new float[gradOut.length];
        plan.forward(out, 0, in, 0, weight, 0, bias, 0, batch, relu);
        float[] gradIn = new float[in.length];
        plan.backwardData(gradIn, 0, gradOut, 0, weight, 0, batch);
        float[] gradWeight = new float[weight.length];
        float[] gradBias = new float[bias.length];
        plan.backwardWeights(gradWeight, 0, gradBias, 0, gradOut, 0, in, 0, batch, false);
        return new float[][] {out, gradIn, gradWeight, gradBias};
    }
}
