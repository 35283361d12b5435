package dev.lanes.bench.report;

import dev.lanes.kernels.panama.PanamaKernels;
import dev.lanes.kernels.Activation;
import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.spi.ActivationKernel;
import dev.lanes.kernels.spi.ElementwiseKernel;
import dev.lanes.kernels.spi.ElementwiseKernel.Binary;
import dev.lanes.kernels.scalar.ScalarActivations;
import dev.lanes.kernels.scalar.ScalarElementwise;
import dev.lanes.kernels.scalar.ScalarSoftmax;
import dev.lanes.kernels.spi.SoftmaxKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Activations and the cheap elementwise kernels on one thread, at 1K, 64K and 16M floats: GB/s
 * beside this machine's copy bandwidth measured at the same size (a STREAM-style vector copy loop;
 * System.arraycopy is shown too), and the speedup over the scalar twin (the double-precision
 * reference). The cheap kernels are timed back to back with the copy ({@link Timing#paired}):
 * their share of the copy bandwidth is the median ratio of neighbouring samples, each round with
 * the operands of both moved to another layout in the heap and another placement against the
 * cache lines ({@link Operands#place}),
 * and their GB/s come from the same rounds; the other rows divide by the copy's median. Then
 * softmax on (4096, 1000), and the acceptance checks. Every Panama kernel is checked
 * against the scalar one before it is timed. The JMH benchmarks in dev.lanes.bench.activation
 * measure the same kernels with forks.
 */
public final class ActivationSection implements ReportSection {
    private static final int[] SIZES = {1 << 10, 1 << 16, 1 << 24};
    /** Memory-bound activations, judged against the copy bandwidth. */
    private static final List<Activation> CHEAP = List.of(Activation.STEP, Activation.IDENTITY, Activation.RELU,
            Activation.LEAKY_RELU, Activation.HARD_SIGMOID);
    private static final List<Activation> ALL = List.of(Activation.STEP, Activation.IDENTITY, Activation.RELU,
            Activation.LEAKY_RELU, Activation.HARD_SIGMOID, Activation.SOFTSIGN, Activation.SIGMOID, Activation.TANH,
            Activation.ELU, Activation.SELU, Activation.SOFTPLUS, Activation.GELU_TANH, Activation.GELU_ERF);
    private static final String[] ELEMENTWISE = {"add", "sub", "mul", "div", "scale", "axpy", "clip", "bias"};
    /**
     * The elementwise kernels not judged against the copy: a division's throughput (one 16-lane
     * division per 5 cycles or so) binds it in cache, as it does softsign.
     */
    private static final List<String> NOT_CHEAP = List.of("div");

    private final ActivationKernel panama = new PanamaKernels().activations();
    private final ActivationKernel scalar = new ScalarActivations();
    private final ElementwiseKernel panamaElementwise = new PanamaKernels().elementwise();
    private final ElementwiseKernel scalarElementwise = new ScalarElementwise();

    @Override
    public String name() {
        return "activation";
    }

    @Override
    public String title() {
        return "Activations and elementwise kernels, 1 thread (GB/s; % of the copy bandwidth at the same size,"
                + " for the cheap kernels the median of ratios timed back to back with the copy;"
                + " x = speedup over the scalar twin)";
    }

    @Override
    public void run(ReportContext context) {
        int saved = Parallel.threads();
        List<String> failures = new ArrayList<>();
        try {
            Parallel.setThreads(1);
            bandwidthTable(context, failures);
            softmaxTable(context, saved, failures);
        } finally {
            Parallel.setThreads(saved);
        }
        context.out().println();
        context.out().println("Acceptance (cheap kernels, all above but div, softsign and the transcendental"
                + " activations, >= 80% of copy at every size; sigmoid, tanh, GELU >= 4x"
                + " scalar at 64K; softmax and log-softmax >= 4x scalar): "
                + (failures.isEmpty() ? "all pass" : failures));
    }

    private void bandwidthTable(ReportContext context, List<String> failures) {
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("kernel"));
        for (int size : SIZES) {
            header.addAll(List.of(label(size) + " GB/s", "% copy", "x"));
        }
        rows.add(header.toArray(new String[0]));
        List<List<String>> cells = new ArrayList<>();
        String[] names = new String[2 + ELEMENTWISE.length + ALL.size()];
        names[0] = "copy";
        names[1] = "arraycopy";
        System.arraycopy(ELEMENTWISE, 0, names, 2, ELEMENTWISE.length);
        for (int a = 0; a < ALL.size(); a++) {
            names[2 + ELEMENTWISE.length + a] = ALL.get(a).toString();
        }
        for (String name : names) {
            List<String> row = new ArrayList<>();
            row.add(name);
            cells.add(row);
        }
        for (int size : SIZES) {
            Operands o = new Operands(size);
            // The first size compiles every kernel: see seconds.
            double floor = size == SIZES[0] ? firstWarmup(context) : 0;
            Runnable copy = () -> panamaElementwise.copy(o.out, o.to, 1, o.x, o.at, 1, size);
            double copyPanama = seconds(context, copy, floor);
            double copyScalar = seconds(context, () -> scalarElementwise.copy(o.out, o.to, 1, o.x, o.at, 1, size), floor);
            double arraycopy = seconds(context, () -> System.arraycopy(o.x, o.at, o.out, o.to, size), floor);
            // The anchor is the STREAM-style copy loop: System.arraycopy streams past the cache with
            // non-temporal stores at large sizes, which no Java loop can issue.
            double anchor = 8.0 * size / copyPanama / 1e9;
            int row = 0;
            add(cells.get(row++), 8, size, copyPanama, copyScalar, 1);
            add(cells.get(row++), 8, size, arraycopy, Double.NaN, copyPanama / arraycopy);
            for (String op : ELEMENTWISE) {
                Runnable p = elementwise(panamaElementwise, op, o);
                warmUp(context, p, floor);
                Timing.Paired paired = paired(context, o, copy, p);
                double s = seconds(context, elementwise(scalarElementwise, op, o), floor);
                double share = bytes(op) / 8.0 * paired.ratio();
                add(cells.get(row++), bytes(op), size, paired.operationSeconds(), s, share);
                if (!NOT_CHEAP.contains(op) && share < 0.8) {
                    failures.add(op + " at " + label(size) + ": " + belowLine(share) + " of copy");
                }
            }
            for (Activation a : ALL) {
                verify(a, o);
                Runnable p = () -> panama.forward(a.kind(), a.parameter(), o.out, o.to, o.x, o.at, size);
                boolean cheap = CHEAP.contains(a);
                double seconds;
                double share;
                if (cheap) {
                    warmUp(context, p, floor);
                    Timing.Paired paired = paired(context, o, copy, p);
                    seconds = paired.operationSeconds();
                    share = paired.ratio();
                } else {
                    seconds = seconds(context, p, floor);
                    share = 8.0 * size / seconds / 1e9 / anchor;
                }
                double s = seconds(context, () -> scalar.forward(a.kind(), a.parameter(), o.out, o.to, o.x, o.at, size), floor);
                add(cells.get(row++), 8, size, seconds, s, share);
                if (cheap && share < 0.8) {
                    failures.add(a + " at " + label(size) + ": " + belowLine(share) + " of copy");
                }
                boolean smooth = a == Activation.SIGMOID || a == Activation.TANH || a == Activation.GELU_TANH
                        || a == Activation.GELU_ERF;
                if (smooth && size == 1 << 16 && s / seconds < 4) {
                    failures.add(String.format(Locale.ROOT, "%s at 64K: %.1fx scalar", a, s / seconds));
                }
            }
        }
        for (List<String> row : cells) {
            rows.add(row.toArray(new String[0]));
        }
        context.table(rows);
    }

    private void softmaxTable(ReportContext context, int threads, List<String> failures) {
        int rows = 4096;
        int cols = 1000;
        SoftmaxKernel fast = new PanamaKernels().softmax();
        SoftmaxKernel slow = new ScalarSoftmax();
        Operands o = new Operands(rows * cols);
        float[] y = new float[rows * cols];
        fast.softmax(false, y, 0, cols, o.x, 0, cols, rows, cols);
        float[] expected = new float[cols];
        slow.softmax(false, expected, 0, cols, o.x, 0, cols, 1, cols);
        check("softmax", expected, y, 1e-4);
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"softmax (4096, 1000)", "Panama ms", "Panama " + threads + " threads ms",
            "scalar ms", "x scalar (1 thread)"});
        for (int mode = 0; mode < 4; mode++) {
            boolean log = mode % 2 == 1;
            boolean backward = mode >= 2;
            Runnable p = backward ? () -> fast.backward(log, o.out, 0, cols, o.g, 0, cols, y, 0, cols, rows, cols)
                    : () -> fast.softmax(log, o.out, 0, cols, o.x, 0, cols, rows, cols);
            Runnable s = backward ? () -> slow.backward(log, o.out, 0, cols, o.g, 0, cols, y, 0, cols, rows, cols)
                    : () -> slow.softmax(log, o.out, 0, cols, o.x, 0, cols, rows, cols);
            Parallel.setThreads(1);
            double one = seconds(context, p, firstWarmup(context));
            Parallel.setThreads(threads);
            double all = seconds(context, p, 0);
            Parallel.setThreads(1);
            double reference = seconds(context, s, firstWarmup(context));
            String name = (log ? "logSoftmax" : "softmax") + (backward ? " backward" : "");
            table.add(new String[] {name, ms(one), ms(all), ms(reference), ReportContext.ratio(reference / one)});
            // The acceptance concerns the forward passes; the backward ones are memory-bound at this size.
            if (!backward && reference / one < 4) {
                failures.add(String.format(Locale.ROOT, "%s: %.1fx scalar", name, reference / one));
            }
        }
        context.out().println();
        context.table(table);
    }

    /** Adds "GB/s, share of the copy bandwidth, x scalar" to a row. */
    private static void add(List<String> row, int bytesPerElement, int size, double seconds, double scalarSeconds,
                            double share) {
        row.add(ReportContext.fixed(bytesPerElement * (double) size / seconds / 1e9));
        row.add(percent(share));
        row.add(Double.isNaN(scalarSeconds) ? "-" : ReportContext.ratio(scalarSeconds / seconds));
    }

    /**
     * The operation timed back to back with the copy: the median ratio of their times per call
     * is the share of the copy bandwidth (times the bytes per element over the copy's 8), free of
     * the machine's drift; the operation's GB/s comes from the same rounds.
     */
    private static Timing.Paired paired(ReportContext context, Operands o, Runnable copy, Runnable operation) {
        return context.quick() ? Timing.paired(copy, operation, 5, 0.01, o::place)
                : Timing.paired(copy, operation, 11, 0.02, o::place);
    }

    private static Runnable elementwise(ElementwiseKernel k, String op, Operands o) {
        int n = o.size;
        return switch (op) {
            case "add" -> () -> k.binary(Binary.ADD, o.out, o.to, 1, o.x, o.at, 1, o.g, o.at, 1, n);
            case "sub" -> () -> k.binary(Binary.SUB, o.out, o.to, 1, o.x, o.at, 1, o.g, o.at, 1, n);
            case "mul" -> () -> k.binary(Binary.MUL, o.out, o.to, 1, o.x, o.at, 1, o.g, o.at, 1, n);
            case "div" -> () -> k.binary(Binary.DIV, o.out, o.to, 1, o.x, o.at, 1, o.g, o.at, 1, n);
            case "scale" -> () -> k.scale(o.out, o.to, 1, 0.5f, o.x, o.at, 1, n);
            // Alternating signs keep the values bounded over many calls.
            case "axpy" -> () -> k.axpy(o.out, o.to, 1, o.flip = -o.flip, o.x, o.at, 1, n);
            case "clip" -> () -> k.clip(o.out, o.to, 1, o.x, o.at, 1, -1f, 1f, n);
            case "bias" -> () -> k.addBiasChannels(o.out, o.to, o.bias, 0, 1, 64, n / 64);
            default -> throw new IllegalArgumentException(op);
        };
    }

    private static int bytes(String op) {
        return op.equals("add") || op.equals("sub") || op.equals("mul") || op.equals("div") || op.equals("axpy")
                ? 12 : 8;
    }

    private void verify(Activation a, Operands o) {
        int n = Math.min(4096, o.size);
        float[] expected = new float[n];
        float[] actual = new float[n];
        scalar.forward(a.kind(), a.parameter(), expected, 0, o.x, 0, n);
        panama.forward(a.kind(), a.parameter(), actual, 0, o.x, 0, n);
        check(a.toString(), expected, actual, 1e-5);
    }

    private static void check(String what, float[] expected, float[] actual, double relative) {
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= relative * Math.abs(expected[i]) + 1e-30)) {
                throw new IllegalStateException(what + " is wrong at " + i + ": " + actual[i] + " vs " + expected[i]);
            }
        }
    }

    /**
     * Median seconds per call. Vector code runs interpreted, boxing every vector, until C2 compiles
     * it, 100 to 10,000 times slower (softplus on 1K floats: 53 ms per call at first, then about
     * 2 ms per call for a second in C1's code, then 1.7 us): the warm-up runs 50 ms samples for
     * at least {@code floorSeconds}, then until the fastest stops improving (three samples in a
     * row within 3%), for at most 5 s. A floor is needed where the kernels are new to the JVM: the
     * slow phases are plateaus on which three samples can agree. Slow calls (the scalar twins at
     * 16M) get three samples and no warm-up.
     */
    private static double seconds(ReportContext context, Runnable operation, double floorSeconds) {
        double first = Timing.once(operation);
        if (first > 0.3) {
            return Timing.medianSeconds(operation, 0, 3, first);
        }
        warmUp(context, operation, floorSeconds);
        boolean quick = context.quick();
        return Timing.medianSeconds(operation, 0, quick ? 3 : 5, Math.max(first, quick ? 0.03 : 0.1));
    }

    /** The warm-up of {@link #seconds}: 50 ms samples until they stop improving, after the floor. */
    private static void warmUp(ReportContext context, Runnable operation, double floorSeconds) {
        long start = System.nanoTime();
        long floor = start + (long) (floorSeconds * 1e9);
        long end = start + (long) (Math.max(floorSeconds + 1, context.quick() ? 2 : 5) * 1e9);
        double best = Double.MAX_VALUE;
        for (int stable = 0; (stable < 3 || System.nanoTime() < floor) && System.nanoTime() < end; ) {
            double t = Timing.medianSeconds(operation, 0, 1, 0.05);
            if (t < 0.97 * best) {
                best = t;
                stable = 0;
            } else {
                stable++;
            }
        }
    }

    /** The least warm-up where the kernels are new to the JVM. */
    private static double firstWarmup(ReportContext context) {
        return context.quick() ? 0.5 : 2;
    }

    private static String label(int size) {
        return size >= 1 << 20 ? (size >> 20) + "M" : (size >> 10) + "K";
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    /** A share under the 80% line with one decimal, so that 79.6% does not read as 80%. */
    private static String belowLine(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    private static String ms(double seconds) {
        return String.format(Locale.ROOT, "%.2f", 1e3 * seconds);
    }

    /**
     * Inputs in [-8, 8) and upstream gradients, from fixed seeds, in arrays {@link #PAD} floats
     * longer than the operands, which start at {@link #at} (inputs) and {@link #to} (output).
     *
     * <p>Up to 64K floats there are {@link #LAYOUTS} copies of the three arrays, each allocated
     * after a spacer of 0 to 4 KB, and each round of {@link Timing#paired} takes the next: where
     * the heap puts three 256 KB arrays decides how well they share the 1 MB L2 (in a scratch
     * harness, sixteen allocations of the same 64K operands in one JVM gave add 7.4 to 12.7 us
     * per call, the copy 4.8 to 7.1), so one allocation per sitting made add, sub and mul at
     * 64K read 72-76% of the copy in some sittings and 94-108% in others. The median over rounds
     * is now a median over layouts as well as over cache-line placements and time. 16M floats
     * stream from memory and keep one layout (eleven would take 2 GB).
     */
    private static final class Operands {
        /** Room to move the operands by up to 15 floats: every placement modulo 64 bytes. */
        static final int PAD = 16;
        /** Layouts of the operands for the sizes up to 64K floats: one per paired round. */
        static final int LAYOUTS = 11;
        final int size;
        final float[] bias;
        private final float[][] layouts;
        /** Spacers between the layouts, kept reachable so they keep their room. */
        private final float[][] spacers;
        float[] x;
        float[] g;
        float[] out;
        int at;
        int to;
        float flip = 0.5f;

        Operands(int size) {
            this.size = size;
            int count = size <= 1 << 16 ? LAYOUTS : 1;
            layouts = new float[3 * count][];
            spacers = new float[count][];
            SplittableRandom spacing = new SplittableRandom(-size);
            for (int l = 0; l < count; l++) {
                spacers[l] = new float[spacing.nextInt(1024)];
                SplittableRandom random = new SplittableRandom(size);
                float[] in = new float[size + PAD];
                float[] grad = new float[size + PAD];
                for (int i = 0; i < in.length; i++) {
                    in[i] = (float) random.nextDouble(-8, 8);
                    grad[i] = (float) random.nextDouble(-1, 1);
                }
                layouts[3 * l] = in;
                layouts[3 * l + 1] = grad;
                layouts[3 * l + 2] = new float[size + PAD];
            }
            bias = new float[64];
            place(0);
        }

        /**
         * Moves the operands for a round of {@link Timing#paired}: to the round's layout, and
         * within it the input by 5 floats more and the output by 3 more each round (modulo 16), so
         * eleven rounds see eleven placements of input and output against the 64-byte cache lines
         * and against each other.
         */
        void place(int round) {
            int l = round % (layouts.length / 3);
            x = layouts[3 * l];
            g = layouts[3 * l + 1];
            out = layouts[3 * l + 2];
            at = 5 * round % PAD;
            to = 3 * round % PAD;
        }
    }
}
