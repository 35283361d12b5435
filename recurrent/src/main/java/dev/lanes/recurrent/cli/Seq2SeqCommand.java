package dev.lanes.recurrent.cli;

import dev.lanes.kernels.Parallel;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.recurrent.Embedding;
import dev.lanes.recurrent.Lstm;
import dev.lanes.recurrent.RecurrentOptions;
import dev.lanes.recurrent.RecurrentState;
import dev.lanes.recurrent.TimeDistributed;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.cli.Arguments;
import dev.lanes.training.cli.Command;
import dev.lanes.training.cli.UsageException;
import dev.lanes.training.optim.Adam;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code lanes seq2seq}: an encoder-decoder LSTM (Sutskever et al., 2014) that rewrites digit
 * strings of varying length (reversed or sorted). The encoder reads the digits (its lengths say
 * where each string ends) and hands its final state to the decoder, which is trained with teacher
 * forcing (it reads the true previous digit) and decodes greedily at test time (it reads its own
 * previous choice) until it writes the end token. Test strings are drawn first and never trained
 * on; the score is the fraction of them rewritten exactly.
 */
public final class Seq2SeqCommand implements Command {
    private static final Set<String> OPTIONS = Set.of("task", "min-length", "max-length", "hidden", "embedding",
            "batch-size", "learning-rate", "clip-norm", "max-steps", "eval-every", "stop-accuracy", "validation",
            "test", "seed", "threads", "output");
    static final String REPORT_FILE = "report.txt";
    static final String CHART = "accuracy.png";
    /** The curriculum's line: at least 99% of held-out sequences exactly right. */
    static final double LINE = 0.99;
    static final int GO = 10;
    static final int END = 11;
    static final int PAD = 12;
    static final int VOCABULARY = 13;
    private static final String DEFAULT_OUTPUT = "runs/seq2seq";

    @Override
    public String name() {
        return "seq2seq";
    }

    @Override
    public String summary() {
        return "an encoder-decoder LSTM reversing or sorting digit strings, greedy decoding on held-out strings";
    }

    private static String help() {
        return String.format(Locale.ROOT, """
                usage: lanes seq2seq [OPTIONS]

                An encoder-decoder LSTM rewrites strings of --min-length to --max-length digits: reversed
                (--task reverse) or sorted (--task sort). The encoder's final state starts the decoder, trained
                with teacher forcing on fresh random strings (never one of the held-out test strings) until
                the validation exact-sequence accuracy reaches --stop-accuracy or --max-steps; then decodes
                the test strings greedily and prints the exact-sequence accuracy against the curriculum's
                line (at least 99%%) with examples. Writes %s and %s to --output.

                  --task reverse|sort  (default reverse)
                  --min-length N       (default 3)
                  --max-length N       (default 9)
                  --hidden H           LSTM units of encoder and decoder (default 128)
                  --embedding E        token embedding size (default 32)
                  --batch-size N       (default 64)
                  --learning-rate LR   Adam's (default 0.003)
                  --clip-norm C        global gradient norm clip (default 1)
                  --max-steps N        (default 6000)
                  --eval-every N       steps between validations (default 250)
                  --stop-accuracy A    stop once the validation exact-sequence accuracy reaches A (default 0.998)
                  --validation N       validation strings (default 1000)
                  --test N             held-out test strings (default 2000)
                  --seed S             weights and data (default 1)
                  --threads N          kernel threads (default 1)
                  --output DIR         (default %s)
                """, REPORT_FILE, CHART, DEFAULT_OUTPUT);
    }

    /** The task: what the decoder must write for a digit string. */
    enum Task {
        REVERSE, SORT;

        int[] rewrite(int[] digits) {
            int[] out = new int[digits.length];
            if (this == REVERSE) {
                for (int i = 0; i < digits.length; i++) {
                    out[i] = digits[digits.length - 1 - i];
                }
            } else {
                out = digits.clone();
                Arrays.sort(out);
            }
            return out;
        }
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.print(help());
            return 0;
        }
        Arguments parsed = Arguments.parse(name(), arguments, OPTIONS, Set.of());
        Task task = Task.valueOf(parsed.choice("task", List.of("reverse", "sort"), "reverse")
                .toUpperCase(Locale.ROOT));
        int minLength = parsed.integer("min-length", 3, 1, 1000);
        int maxLength = parsed.integer("max-length", 9, 1, 1000);
        if (maxLength < minLength) {
            throw new UsageException("seq2seq: --max-length " + maxLength + " is below --min-length " + minLength);
        }
        int hidden = parsed.integer("hidden", 128, 1, 1 << 14);
        int embedding = parsed.integer("embedding", 32, 1, 1 << 14);
        int batchSize = parsed.integer("batch-size", 64, 1, 1 << 16);
        double learningRate = parsed.number("learning-rate", 0.003, 0, false, 10);
        double clipNorm = parsed.number("clip-norm", 1, 0, false, 1e9);
        int maxSteps = parsed.integer("max-steps", 6000, 1, 10_000_000);
        int evalEvery = parsed.integer("eval-every", 250, 1, 1_000_000);
        double stopAccuracy = parsed.number("stop-accuracy", 0.998, 0, true, 1);
        int validationCount = parsed.integer("validation", 1000, 1, 1 << 20);
        int testCount = parsed.integer("test", 2000, 1, 1 << 20);
        long seed = parsed.longValue("seed", 1);
        Parallel.setThreads(parsed.integer("threads", 1, 1, 1024));
        Path output = Path.of(parsed.string("output", DEFAULT_OUTPUT));
        Files.createDirectories(output);
        out.printf(Locale.ROOT, "Lanes seq2seq: %s digit strings of %d to %d digits; encoder and decoder LSTM %d, "
                        + "embedding %d, batch %d, Adam %s, clip %s, at most %d steps, seed %d%n",
                task.name().toLowerCase(Locale.ROOT), minLength, maxLength, hidden, embedding, batchSize, learningRate,
                clipNorm, maxSteps, seed);

        Strings strings = new Strings(task, minLength, maxLength, seed);
        Batch test = strings.heldOut(testCount);
        Batch validation = strings.heldOut(validationCount);
        Model model = new Model(hidden, embedding, maxLength, seed);
        Adam adam = new Adam(model.parameters(), learningRate);
        adam.clipGradientNorm(clipNorm);
        List<double[]> curve = new ArrayList<>();
        Batch batch = strings.newBatch(batchSize);
        long start = System.nanoTime();
        int step = 0;
        double loss = Double.NaN;
        while (step < maxSteps) {
            strings.fillTraining(batch);
            loss = model.trainStep(batch);
            adam.step();
            step++;
            if (step % evalEvery == 0 || step == maxSteps) {
                double accuracy = model.exactAccuracy(validation, null);
                curve.add(new double[] {step, accuracy});
                out.printf(Locale.ROOT, "  step %5d  loss %.4f  validation exact-sequence accuracy %.2f%%%n", step,
                        loss, 100 * accuracy);
                if (accuracy >= stopAccuracy) {
                    break;
                }
            }
        }
        double minutes = (System.nanoTime() - start) / 60e9;
        int[][] decoded = new int[test.count][];
        double accuracy = model.exactAccuracy(test, decoded);
        String report = report(task, test, decoded, accuracy, step, minutes, minLength, maxLength);
        out.print(report);
        Files.writeString(output.resolve(REPORT_FILE), report.stripLeading(), StandardCharsets.UTF_8);
        chart(output.resolve(CHART), curve);
        out.println("report: " + output.resolve(REPORT_FILE) + ", chart: " + output.resolve(CHART));
        return 0;
    }

    private static String report(Task task, Batch test, int[][] decoded, double accuracy, int steps, double minutes,
                                 int minLength, int maxLength) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, """

                %s digit strings of %d to %d digits, %d training steps (%.1f minutes)
                greedy decoding of %d held-out strings: exact-sequence accuracy %.2f%%
                """, task.name().toLowerCase(Locale.ROOT), minLength, maxLength, steps, minutes, test.count,
                100 * accuracy));
        int[] right = new int[maxLength + 1];
        int[] total = new int[maxLength + 1];
        for (int i = 0; i < test.count; i++) {
            total[test.lengths[i]]++;
            right[test.lengths[i]] += Arrays.equals(decoded[i], test.targets.get(i)) ? 1 : 0;
        }
        text.append("by length:");
        for (int length = minLength; length <= maxLength; length++) {
            if (total[length] > 0) {
                text.append(String.format(Locale.ROOT, " %d: %.1f%%", length, 100.0 * right[length] / total[length]));
            }
        }
        text.append("\nexamples (input -> greedy output, * if wrong):\n");
        int shown = 0;
        for (int i = 0; i < test.count && shown < 8; i++, shown++) {
            text.append("  ").append(digits(test.sources.get(i))).append(" -> ").append(digits(decoded[i]))
                    .append(Arrays.equals(decoded[i], test.targets.get(i)) ? "" : "  * expected "
                            + digits(test.targets.get(i))).append('\n');
        }
        int wrongShown = 0;
        for (int i = 0; i < test.count && wrongShown < 4; i++) {
            if (!Arrays.equals(decoded[i], test.targets.get(i))) {
                if (wrongShown++ == 0) {
                    text.append("some wrong ones:\n");
                }
                text.append("  ").append(digits(test.sources.get(i))).append(" -> ").append(digits(decoded[i]))
                        .append("  * expected ").append(digits(test.targets.get(i))).append('\n');
            }
        }
        text.append(String.format(Locale.ROOT, "curriculum line (>= 99%% exact-sequence accuracy on held-out "
                + "sequences): %s%n", accuracy >= LINE ? "met" : "NOT met"));
        return text.toString();
    }

    private static String digits(int[] tokens) {
        StringBuilder text = new StringBuilder();
        for (int token : tokens) {
            text.append(token < 10 ? Character.forDigit(token, 10) : '?');
        }
        return text.isEmpty() ? "(empty)" : text.toString();
    }

    private static void chart(Path png, List<double[]> curve) throws IOException {
        double[] x = new double[curve.size()];
        double[] y = new double[curve.size()];
        for (int i = 0; i < curve.size(); i++) {
            x[i] = curve.get(i)[0];
            y[i] = 100 * curve.get(i)[1];
        }
        new LineChart("Encoder-decoder LSTM: greedy decoding of validation strings", "training step",
                "exact-sequence accuracy (%)", false).add("validation", x, y).write(png);
    }

    /**
     * A batch of strings as the model reads them: encoder tokens (n, maxLength) padded past each
     * length, decoder inputs (n, maxLength + 1) starting with GO, decoder targets (n x (maxLength +
     * 1)) ending with END then padding.
     */
    static final class Batch {
        final int count;
        final int maxLength;
        final Tensor encoderTokens;
        final Tensor decoderInputs;
        final Tensor decoderTargets;
        final int[] lengths;
        final List<int[]> sources = new ArrayList<>();
        final List<int[]> targets = new ArrayList<>();

        Batch(int count, int maxLength) {
            this.count = count;
            this.maxLength = maxLength;
            encoderTokens = Tensor.zeros(count, maxLength);
            decoderInputs = Tensor.zeros(count, maxLength + 1);
            decoderTargets = Tensor.zeros(count * (maxLength + 1));
            lengths = new int[count];
        }

        void set(int i, int[] source, int[] target) {
            if (sources.size() == count) {
                sources.set(i, source);
                targets.set(i, target);
            } else {
                sources.add(source);
                targets.add(target);
            }
            lengths[i] = source.length;
            float[] enc = encoderTokens.data();
            float[] in = decoderInputs.data();
            float[] out = decoderTargets.data();
            int width = maxLength + 1;
            for (int t = 0; t < maxLength; t++) {
                enc[i * maxLength + t] = t < source.length ? source[t] : PAD;
            }
            for (int t = 0; t < width; t++) {
                in[i * width + t] = t == 0 ? GO : t - 1 < target.length ? target[t - 1] : PAD;
                out[i * width + t] = t < target.length ? target[t] : t == target.length ? END : PAD;
            }
        }
    }

    /** Random digit strings; the held-out ones are drawn first and never given for training. */
    static final class Strings {
        private final Task task;
        private final int minLength;
        private final int maxLength;
        private final SplittableRandom random;
        private final Set<String> heldOut = new HashSet<>();

        Strings(Task task, int minLength, int maxLength, long seed) {
            this.task = task;
            this.minLength = minLength;
            this.maxLength = maxLength;
            this.random = new SplittableRandom(seed);
        }

        private int[] draw() {
            int[] digits = new int[minLength + random.nextInt(maxLength - minLength + 1)];
            for (int i = 0; i < digits.length; i++) {
                digits[i] = random.nextInt(10);
            }
            return digits;
        }

        Batch newBatch(int count) {
            return new Batch(count, maxLength);
        }

        /** {@code count} strings kept out of training from now on (distinct from earlier held-out ones). */
        Batch heldOut(int count) {
            Batch batch = newBatch(count);
            for (int i = 0; i < count; i++) {
                int[] digits = draw();
                for (int tries = 0; heldOut.contains(Arrays.toString(digits)) && tries < 1000; tries++) {
                    digits = draw();
                }
                heldOut.add(Arrays.toString(digits));
                batch.set(i, digits, task.rewrite(digits));
            }
            return batch;
        }

        /** Fills {@code batch} with fresh training strings, none of them held out. */
        void fillTraining(Batch batch) {
            for (int i = 0; i < batch.count; i++) {
                int[] digits = draw();
                while (heldOut.contains(Arrays.toString(digits))) {
                    digits = draw();
                }
                batch.set(i, digits, task.rewrite(digits));
            }
        }
    }

    /** Encoder (embedding, LSTM) and decoder (embedding, LSTM over the steps, dense scores per step). */
    static final class Model {
        private final Embedding encoderEmbedding;
        private final Lstm encoder;
        private final Embedding decoderEmbedding;
        private final Lstm decoder;
        private final TimeDistributed scores;
        private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        private final int maxLength;

        Model(int hidden, int embedding, int maxLength, long seed) {
            this.maxLength = maxLength;
            encoderEmbedding = new Embedding(VOCABULARY, embedding, seed);
            encoder = new Lstm(embedding, hidden, seed + 1);
            decoderEmbedding = new Embedding(VOCABULARY, embedding, seed + 2);
            decoder = new Lstm(embedding, hidden, RecurrentOptions.DEFAULT.returnSequences(true), seed + 3);
            scores = new TimeDistributed(new Dense(hidden, VOCABULARY, seed + 4));
        }

        List<Parameter> parameters() {
            List<Parameter> all = new ArrayList<>(encoderEmbedding.parameters());
            all.addAll(encoder.parameters());
            all.addAll(decoderEmbedding.parameters());
            all.addAll(decoder.parameters());
            all.addAll(scores.parameters());
            return all;
        }

        /** Forward and backward of one batch with teacher forcing; returns the mean loss per step. */
        float trainStep(Batch batch) {
            encoder.forward(encoderEmbedding.forward(batch.encoderTokens, true), batch.lengths, null, true);
            RecurrentState thought = encoder.finalState();
            Tensor hidden = decoder.forward(decoderEmbedding.forward(batch.decoderInputs, true), null, thought, true);
            Tensor logits = scores.forward(hidden, true);
            int rows = batch.count * (batch.maxLength + 1);
            float value = loss.forward(logits.reshape(rows, VOCABULARY), batch.decoderTargets);
            Tensor gradLogits = loss.backward().reshape(logits.shape());
            decoderEmbedding.backward(decoder.backward(scores.backward(gradLogits), null));
            encoderEmbedding.backward(encoder.backward(null, decoder.initialStateGradient()));
            return value;
        }

        /**
         * Greedy decoding: each step reads the previous step's most likely token, until END or
         * maxLength + 1 steps. Returns the fraction decoded exactly; {@code decoded} (may be null)
         * receives each string's digits.
         */
        double exactAccuracy(Batch batch, int[][] decoded) {
            int right = 0;
            for (int start = 0; start < batch.count; start += 500) {
                int n = Math.min(500, batch.count - start);
                int[] lengths = Arrays.copyOfRange(batch.lengths, start, start + n);
                encoder.forward(encoderEmbedding.forward(batch.encoderTokens.narrow(0, start, n), false), lengths,
                        null, false);
                RecurrentState state = encoder.finalState().copy();
                Tensor previous = Tensor.full(dev.lanes.tensor.Shape.of(n, 1), GO);
                int[][] tokens = new int[n][maxLength + 1];
                int[] written = new int[n];
                boolean[] ended = new boolean[n];
                for (int t = 0; t <= maxLength; t++) {
                    Tensor hidden = decoder.forward(decoderEmbedding.forward(previous, false), null, state, false);
                    float[] logits = scores.forward(hidden, false).toArray();
                    state = decoder.finalState().copy();
                    float[] next = previous.data();
                    for (int i = 0; i < n; i++) {
                        int best = 0;
                        for (int v = 1; v < VOCABULARY; v++) {
                            if (logits[i * VOCABULARY + v] > logits[i * VOCABULARY + best]) {
                                best = v;
                            }
                        }
                        next[i] = best;
                        if (!ended[i]) {
                            if (best == END) {
                                ended[i] = true;
                            } else {
                                tokens[i][written[i]++] = best;
                            }
                        }
                    }
                }
                for (int i = 0; i < n; i++) {
                    // A string that never wrote END, or wrote GO or PAD as a digit, is wrong.
                    int[] digits = Arrays.copyOf(tokens[i], written[i]);
                    boolean exact = ended[i] && Arrays.equals(digits, batch.targets.get(start + i));
                    right += exact ? 1 : 0;
                    if (decoded != null) {
                        decoded[start + i] = digits;
                    }
                }
            }
            return (double) right / batch.count;
        }
    }
}
