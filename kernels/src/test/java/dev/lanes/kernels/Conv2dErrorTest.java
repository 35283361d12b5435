package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.kernels.panama.conv.PanamaConv2d;
import dev.lanes.kernels.spi.Conv2dKernel;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments to the facades throw IllegalArgumentException naming them, before anything is written. */
class Conv2dErrorTest {
    private final ConvGeometry g = ConvGeometry.builder().input(3, 6, 5).outChannels(4).kernel(3, 3).padding(1).build();
    private final Conv2d conv = new Conv2d(g);
    private final int batch = 2;
    private final float[] in = new float[batch * g.inputSize()];
    private final float[] weight = new float[g.weightSize()];
    private final float[] bias = new float[g.outChannels()];
    private final float[] out = filled(batch * g.outputSize());
    private final float[] gradOut = new float[batch * g.outputSize()];
    private final float[] gradIn = filled(batch * g.inputSize());
    private final float[] gradWeight = filled(g.weightSize());
    private final float[] gradBias = filled(g.outChannels());

    private static float[] filled(int length) {
        float[] a = new float[length];
        Arrays.fill(a, 42f);
        return a;
    }

    private void rejected(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(message), "message '" + e.getMessage() + "' should contain '" + message + "'");
        assertArrayEquals(filled(out.length), out, "out was written before the check failed");
        assertArrayEquals(filled(gradIn.length), gradIn, "gradIn was written");
        assertArrayEquals(filled(gradWeight.length), gradWeight, "gradWeight was written");
        assertArrayEquals(filled(gradBias.length), gradBias, "gradBias was written");
    }

    @Test
    void forwardArguments() {
        rejected("geometry must not be null", () -> new Conv2d(null));
        rejected("batch must be non-negative, got -1", () -> conv.forward(out, 0, in, 0, weight, 0, bias, 0, -1, false));
        rejected("out must not be null", () -> conv.forward(null, 0, in, 0, weight, 0, bias, 0, batch, false));
        rejected("out is too short: batch 2 of 120 floats at offset 1 needs length 241, got 240",
                () -> conv.forward(out, 1, in, 0, weight, 0, bias, 0, batch, false));
        rejected("out is too short", () -> conv.forward(out, -1, in, 0, weight, 0, bias, 0, batch, false));
        rejected("in is too short: batch 3 of 90 floats", () -> conv.forward(filled(3 * g.outputSize()), 0, in, 0, weight, 0, bias, 0, 3, false));
        rejected("in must not be null", () -> conv.forward(out, 0, null, 0, weight, 0, bias, 0, batch, false));
        rejected("weight is too short: 108 elements at offset 1 need length 109, got 108",
                () -> conv.forward(out, 0, in, 0, weight, 1, bias, 0, batch, false));
        rejected("weight must not be null", () -> conv.forward(out, 0, in, 0, null, 0, bias, 0, batch, false));
        rejected("bias is too short: 4 elements at offset 2 need length 6, got 4",
                () -> conv.forward(out, 0, in, 0, weight, 0, bias, 2, batch, false));
        float[] shared = new float[out.length + in.length];
        rejected("out [0, 240) and in [100, 280) overlap in the same array",
                () -> conv.forward(shared, 0, shared, 100, weight, 0, bias, 0, batch, false));
        rejected("would need", () -> conv.forward(out, 0, in, 0, weight, 0, bias, 0, Integer.MAX_VALUE / 50, false));
    }

    @Test
    void backwardDataArguments() {
        rejected("batch must be non-negative", () -> conv.backwardData(gradIn, 0, gradOut, 0, weight, 0, -3));
        rejected("gradIn is too short", () -> conv.backwardData(gradIn, 5, gradOut, 0, weight, 0, batch));
        rejected("gradOut is too short", () -> conv.backwardData(gradIn, 0, gradOut, 1, weight, 0, batch));
        rejected("gradOut must not be null", () -> conv.backwardData(gradIn, 0, null, 0, weight, 0, batch));
        rejected("weight is too short", () -> conv.backwardData(gradIn, 0, gradOut, 0, new float[3], 0, batch));
        float[] shared = new float[gradIn.length + gradOut.length];
        rejected("gradIn [0, 180) and gradOut [0, 240) overlap",
                () -> conv.backwardData(shared, 0, shared, 0, weight, 0, batch));
    }

    @Test
    void backwardWeightsArguments() {
        rejected("batch must be non-negative",
                () -> conv.backwardWeights(gradWeight, 0, gradBias, 0, gradOut, 0, in, 0, -1, false));
        rejected("gradWeight is too short",
                () -> conv.backwardWeights(gradWeight, 1, gradBias, 0, gradOut, 0, in, 0, batch, false));
        rejected("gradBias is too short",
                () -> conv.backwardWeights(gradWeight, 0, gradBias, 1, gradOut, 0, in, 0, batch, false));
        rejected("gradOut is too short",
                () -> conv.backwardWeights(gradWeight, 0, gradBias, 0, new float[7], 0, in, 0, batch, false));
        rejected("in is too short",
                () -> conv.backwardWeights(gradWeight, 0, gradBias, 0, gradOut, 0, in, 100, batch, false));
        float[] shared = new float[200];
        rejected("gradWeight [0, 108) and gradBias [100, 104) overlap",
                () -> conv.backwardWeights(shared, 0, shared, 100, gradOut, 0, in, 0, batch, false));
    }

    @Test
    void emptyBatch() {
        conv.forward(out, 0, in, 0, weight, 0, bias, 0, 0, true);
        assertArrayEquals(filled(out.length), out, "batch 0 writes nothing");
        conv.backwardWeights(gradWeight, 0, gradBias, 0, gradOut, 0, in, 0, 0, true);
        assertArrayEquals(filled(gradWeight.length), gradWeight, "accumulating an empty sum changes nothing");
        conv.backwardWeights(gradWeight, 0, gradBias, 0, gradOut, 0, in, 0, 0, false);
        assertArrayEquals(new float[gradWeight.length], gradWeight, "the sum over no images is zero");
        assertArrayEquals(new float[gradBias.length], gradBias, "the sum over no images is zero");
    }

    /** Workspaces reach their size on the first call of each pass and stay there, whatever the batch. */
    @Test
    @Tag("panama")
    void workspaceIsReused() {
        for (ConvGeometry geometry : new ConvGeometry[] {g,
                ConvGeometry.builder().input(1, 9, 9).outChannels(6).kernel(5, 5).padding(2).build()}) {
            Conv2d c = new Conv2d(geometry);
            float[] x = new float[4 * geometry.inputSize()];
            float[] y = new float[4 * geometry.outputSize()];
            float[] w = new float[geometry.weightSize()];
            float[] b = new float[geometry.outChannels()];
            assertTrue(c.workspaceBytes() == 0, "nothing allocated before the first call");
            c.forward(y, 0, x, 0, w, 0, b, 0, 4, false);
            c.backwardData(x, 0, y, 0, w, 0, 4);
            c.backwardWeights(w, 0, b, 0, y, 0, x, 0, 4, true);
            long steady = c.workspaceBytes();
            assertTrue(steady > 0, geometry + ": workspace " + steady);
            for (int batch : new int[] {4, 1, 3, 4}) {
                c.forward(y, 0, x, 0, w, 0, b, 0, batch, true);
                c.backwardData(x, 0, y, 0, w, 0, batch);
                c.backwardWeights(w, 0, b, 0, y, 0, x, 0, batch, false);
                assertEquals(steady, c.workspaceBytes(), geometry + ": batch " + batch);
            }
        }
    }

    /**
     * The im2col + GEMM plan holds, per thread, at least the column matrix of one image
     * (C·R·S rows of P·Q floats, here 9 x 900) and counts it in its workspace (with two threads at
     * least two of them); the weight gradient adds at least one partial gradient to it.
     */
    @Test
    @Tag("panama")
    void gemmPlanWorkspaceCountsItsColumnMatrices() {
        ConvGeometry geometry = ConvGeometry.builder().input(1, 32, 32).outChannels(1).kernel(3, 3).build();
        long columnMatrix = (long) Float.BYTES * 9 * 30 * 30;
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                Conv2dKernel.Plan plan = PanamaConv2d.gemmPlan(geometry);
                float[] x = new float[2 * geometry.inputSize()];
                float[] y = new float[2 * geometry.outputSize()];
                float[] w = new float[geometry.weightSize()];
                float[] b = new float[geometry.outChannels()];
                plan.forward(y, 0, x, 0, w, 0, b, 0, 2, false);
                long forward = plan.workspaceBytes();
                plan.backwardWeights(w, 0, b, 0, y, 0, x, 0, 2, false);
                long bytes = plan.workspaceBytes();
                assertTrue(forward >= threads * columnMatrix, threads + " threads: workspace " + forward
                        + " bytes, less than " + threads + " column matrices of " + columnMatrix);
                long partial = (long) Float.BYTES * (geometry.weightSize() + geometry.outChannels());
                assertTrue(bytes - forward >= partial, threads + " threads: the weight gradient added "
                        + (bytes - forward) + " bytes, less than one partial gradient of " + partial);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /**
     * workspaceBytes is the bytes of the float arrays a plan holds, counted here by walking the
     * plan's fields (its scratch slots, its partial gradients, anything else it keeps), leaving out
     * the caller's arrays: after every pass, for both plans, at one and two threads. The count must
     * match exactly, whatever the plan's sizes (how many partial gradients it keeps is its own
     * choice), so neither an array left out nor one counted at the wrong size passes.
     */
    @Test
    @Tag("panama")
    void workspaceBytesAreTheFloatArraysThePlanHolds() {
        ConvGeometry geometry = ConvGeometry.builder().input(3, 12, 12).outChannels(8).kernel(3, 3).padding(1).build();
        float[] x = new float[3 * geometry.inputSize()];
        float[] y = new float[3 * geometry.outputSize()];
        float[] w = new float[geometry.weightSize()];
        float[] b = new float[geometry.outChannels()];
        Set<Object> callers = Collections.newSetFromMap(new IdentityHashMap<>());
        callers.addAll(List.of(x, y, w, b));
        for (int threads : new int[] {1, 2}) {
            for (boolean direct : new boolean[] {false, true}) {
                OnThreads.run(threads, () -> {
                    Conv2dKernel.Plan plan = direct ? PanamaConv2d.directPlan(geometry) : PanamaConv2d.gemmPlan(geometry);
                    String what = (direct ? "direct" : "GEMM") + " plan, " + threads + " threads";
                    assertEquals(Float.BYTES * heldFloats(plan, callers), plan.workspaceBytes(), what + ", new");
                    plan.forward(y, 0, x, 0, w, 0, b, 0, 3, false);
                    assertEquals(Float.BYTES * heldFloats(plan, callers), plan.workspaceBytes(), what + ", forward");
                    plan.backwardData(x, 0, y, 0, w, 0, 3);
                    assertEquals(Float.BYTES * heldFloats(plan, callers), plan.workspaceBytes(), what + ", data");
                    plan.backwardWeights(w, 0, b, 0, y, 0, x, 0, 3, false);
                    long bytes = plan.workspaceBytes();
                    assertEquals(Float.BYTES * heldFloats(plan, callers), bytes, what + ", weights");
                    assertTrue(bytes >= (long) Float.BYTES * (geometry.weightSize() + geometry.outChannels()),
                            what + ": no room for a partial gradient in " + bytes + " bytes");
                });
            }
        }
    }

    /**
     * The floats of the distinct float arrays reachable from a plan through the instance fields of
     * kernel objects and through object arrays, but for the caller's arrays.
     */
    private static long heldFloats(Object plan, Set<Object> callers) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object> pending = new ArrayDeque<>(List.of(plan));
        long floats = 0;
        while (!pending.isEmpty()) {
            Object o = pending.pop();
            if (callers.contains(o) || !seen.add(o)) {
                continue;
            }
            if (o instanceof float[] array) {
                floats += array.length;
            } else if (o instanceof Object[] array) {
                for (Object element : array) {
                    if (element != null) {
                        pending.push(element);
                    }
                }
            } else if (o.getClass().getName().startsWith("dev.lanes.kernels.")) {
                for (Class<?> c = o.getClass(); c != Object.class; c = c.getSuperclass()) {
                    for (Field field : c.getDeclaredFields()) {
                        if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                            continue;
                        }
                        try {
                            field.setAccessible(true);
                            Object value = field.get(o);
                            if (value != null) {
                                pending.push(value);
                            }
                        } catch (ReflectiveOperationException e) {
                            throw new AssertionError(field + " of " + c.getName(), e);
                        }
                    }
                }
            }
        }
        return floats;
    }

    @Test
    void im2colArguments() {
        float[] col = new float[(int) Im2col.columnSize(g)];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Im2col.im2col(col, 1, in, 0, g));
        assertTrue(e.getMessage().contains("col is too short"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Im2col.col2im(new float[5], 0, col, 0, g));
        assertTrue(e.getMessage().contains("in is too short"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Im2col.im2col(col, 0, in, 0, null));
        assertTrue(e.getMessage().contains("geometry must not be null"), e.getMessage());
    }
}
