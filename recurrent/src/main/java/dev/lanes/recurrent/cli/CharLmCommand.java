package dev.lanes.recurrent.cli;

import dev.lanes.kernels.Parallel;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.recurrent.Embedding;
import dev.lanes.recurrent.Lstm;
import dev.lanes.recurrent.RecurrentOptions;
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
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code lanes char-lm}: a character-level language model, an LSTM predicting each character of
 * a text from the ones before it. Trained on random windows of the first part of the text, it is
 * scored in bits per character on the held-out last part, read in order with the state carried
 * from window to window, against a model of character frequencies alone; then it writes samples.
 * The default text is the licences of Debian's base-files package ({@value #DEFAULT_TEXT}), on
 * every Debian system.
 */
public final class CharLmCommand implements Command {
    private static final Set<String> OPTIONS = Set.of("text", "held-out", "hidden", "embedding", "window",
            "batch-size", "learning-rate", "clip-norm", "steps", "eval-every", "samples", "sample-length",
            "temperature", "seed", "threads", "output");
    static final String DEFAULT_TEXT = "/usr/share/common-licenses";
    static final String REPORT_FILE = "report.txt";
    static final String CHART = "bits_per_character.png";
    private static final String DEFAULT_OUTPUT = "runs/char-lm";
    private static final double LOG2 = Math.log(2);

    @Override
    public String name() {
        return "char-lm";
    }

    @Override
    public String summary() {
        return "a character-level LSTM language model: bits per character on held-out text, and samples";
    }

    private static String help() {
        return String.format(Locale.ROOT, """
                usage: lanes char-lm [OPTIONS]

                Trains an LSTM language model over characters (embedding, LSTM, dense scores of the next
                character at every step, softmax cross-entropy) on random windows of the first part of a text,
                then reads the held-out last part in order (state carried between windows) and prints its bits
                per character, beside the bits per character of the character frequencies alone; writes samples
                drawn from the model. Writes %s and %s to --output.

                  --text PATH          a UTF-8 text file, or a folder whose regular files are read in name
                                       order (default %s: Debian's base-files licences)
                  --held-out F         the fraction at the end kept for scoring (default 0.1)
                  --hidden H           LSTM units (default 256)
                  --embedding E        character embedding size (default 32)
                  --window T           characters per training sequence (default 100)
                  --batch-size N       (default 32)
                  --learning-rate LR   Adam's (default 0.003)
                  --clip-norm C        global gradient norm clip (default 1)
                  --steps N            training steps (default 2000)
                  --eval-every N       steps between held-out scores (default 250)
                  --samples K          samples to write (default 3)
                  --sample-length N    characters per sample (default 300)
                  --temperature T      sampling temperature (default 0.7)
                  --seed S             weights, windows and samples (default 1)
                  --threads N          kernel threads (default 1)
                  --output DIR         (default %s)
                """, REPORT_FILE, CHART, DEFAULT_TEXT, DEFAULT_OUTPUT);
    }

    /** The text as character indices, and the alphabet. */
    record Corpus(String description, int[] ids, char[] alphabet) {
        static Corpus read(Path path) throws IOException, UsageException {
            List<Path> files = new ArrayList<>();
            if (Files.isDirectory(path)) {
                try (Stream<Path> listing = Files.list(path)) {
                    listing.filter(p -> Files.isRegularFile(p) && !Files.isSymbolicLink(p)).sorted()
                            .forEach(files::add);
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                throw new UsageException("char-lm: --text " + path + " is neither a file nor a folder");
            }
            StringBuilder text = new StringBuilder();
            for (Path file : files) {
                text.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
            }
            if (text.length() < 1000) {
                throw new UsageException("char-lm: --text " + path + " holds " + text.length()
                        + " characters; need at least 1000");
            }
            return of(files.size() + " file(s) under " + path, text.toString());
        }

        static Corpus of(String description, String text) {
            TreeSet<Character> distinct = new TreeSet<>();
            for (int i = 0; i < text.length(); i++) {
                distinct.add(text.charAt(i));
            }
            char[] alphabet = new char[distinct.size()];
            int k = 0;
            for (char c : distinct) {
                alphabet[k++] = c;
            }
            int[] ids = new int[text.length()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = java.util.Arrays.binarySearch(alphabet, text.charAt(i));
            }
            return new Corpus(description, ids, alphabet);
        }
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.print(help());
            return 0;
        }
        Arguments parsed = Arguments.parse(name(), arguments, OPTIONS, Set.of());
        Path textPath = Path.of(parsed.string("text", DEFAULT_TEXT));
        double heldOutFraction = parsed.number("held-out", 0.1, 0, false, 0.5);
        int hidden = parsed.integer("hidden", 256, 1, 1 << 14);
        int embedding = parsed.integer("embedding", 32, 1, 1 << 14);
        int window = parsed.integer("window", 100, 2, 100_000);
        int batchSize = parsed.integer("batch-size", 32, 1, 1 << 16);
        double learningRate = parsed.number("learning-rate", 0.003, 0, false, 10);
        double clipNorm = parsed.number("clip-norm", 1, 0, false, 1e9);
        int steps = parsed.integer("steps", 2000, 1, 10_000_000);
        int evalEvery = parsed.integer("eval-every", 250, 1, 1_000_000);
        int samples = parsed.integer("samples", 3, 0, 100);
        int sampleLength = parsed.integer("sample-length", 300, 1, 1_000_000);
        double temperature = parsed.number("temperature", 0.7, 0, false, 100);
        long seed = parsed.longValue("seed", 1);
        Parallel.setThreads(parsed.integer("threads", 1, 1, 1024));
        Path output = Path.of(parsed.string("output", DEFAULT_OUTPUT));
        Corpus corpus = Corpus.read(textPath);
        int split = (int) Math.round(corpus.ids().length * (1 - heldOutFraction));
        int[] train = java.util.Arrays.copyOfRange(corpus.ids(), 0, split);
        int[] heldOut = java.util.Arrays.copyOfRange(corpus.ids(), split, corpus.ids().length);
        if (train.length <= window + 1 || heldOut.length <= window + 1) {
            throw new UsageException("char-lm: the text's " + corpus.ids().length + " characters split into "
                    + train.length + " training and " + heldOut.length + " held-out ones; each part needs more "
                    + "than --window + 1 = " + (window + 1));
        }
        Files.createDirectories(output);
        out.printf(Locale.ROOT, "Lanes char-lm: %s: %,d characters, alphabet of %d; %,d for training, %,d held out; "
                        + "LSTM %d, embedding %d, windows of %d, batch %d, Adam %s, clip %s, %d steps, seed %d%n",
                corpus.description(), corpus.ids().length, corpus.alphabet().length, train.length, heldOut.length,
                hidden, embedding, window, batchSize, learningRate, clipNorm, steps, seed);

        int vocabulary = corpus.alphabet().length;
        LanguageModel model = new LanguageModel(vocabulary, embedding, hidden, seed);
        Adam adam = new Adam(model.parameters(), learningRate);
        adam.clipGradientNorm(clipNorm);
        double unigram = unigramBits(train, heldOut, vocabulary);
        SplittableRandom random = new SplittableRandom(seed);
        Tensor inputs = Tensor.zeros(batchSize, window);
        Tensor targets = Tensor.zeros(batchSize * window);
        List<double[]> trainCurve = new ArrayList<>();
        List<double[]> heldOutCurve = new ArrayList<>();
        double recent = 0;
        int recentCount = 0;
        long start = System.nanoTime();
        for (int step = 1; step <= steps; step++) {
            float[] x = inputs.data();
            float[] y = targets.data();
            for (int i = 0; i < batchSize; i++) {
                int from = random.nextInt(train.length - window);
                for (int t = 0; t < window; t++) {
                    x[i * window + t] = train[from + t];
                    y[i * window + t] = train[from + t + 1];
                }
            }
            recent += model.trainStep(inputs, targets) / LOG2;
            recentCount++;
            adam.step();
            if (step % evalEvery == 0 || step == steps) {
                double bits = model.bitsPerCharacter(heldOut, window);
                trainCurve.add(new double[] {step, recent / recentCount});
                heldOutCurve.add(new double[] {step, bits});
                out.printf(Locale.ROOT, "  step %5d  training %.3f bits/char  held-out %.3f bits/char%n", step,
                        recent / recentCount, bits);
                recent = 0;
                recentCount = 0;
            }
        }
        double minutes = (System.nanoTime() - start) / 60e9;
        double bits = heldOutCurve.getLast()[1];
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, """

                character-level LSTM %d on %s, %d steps of %d windows of %d characters (%.1f minutes)
                held-out text (%,d characters, read in order): %.3f bits per character
                character frequencies alone (unigram, from the training part): %.3f bits per character
                """, hidden, corpus.description(), steps, batchSize, window, minutes, heldOut.length, bits, unigram));
        SplittableRandom sampler = new SplittableRandom(seed + 1);
        for (int s = 0; s < samples; s++) {
            int from = sampler.nextInt(heldOut.length - 40);
            int[] prompt = java.util.Arrays.copyOfRange(heldOut, from, from + 40);
            String text = model.sample(prompt, sampleLength, temperature, sampler, corpus.alphabet());
            report.append(String.format(Locale.ROOT,
                    "sample %d (temperature %s), after the held-out prompt \"%s\":%n%s%n",
                    s + 1, temperature, escape(decode(prompt, corpus.alphabet())), text));
        }
        out.print(report);
        Files.writeString(output.resolve(REPORT_FILE), report.toString().stripLeading(), StandardCharsets.UTF_8);
        LineChart chart = new LineChart("Character-level LSTM: bits per character", "training step",
                "bits per character", false);
        chart.add("training windows (mean since the last point)", column(trainCurve, 0), column(trainCurve, 1));
        chart.add("held-out text", column(heldOutCurve, 0), column(heldOutCurve, 1));
        double[] ends = {heldOutCurve.getFirst()[0], heldOutCurve.getLast()[0]};
        chart.add("character frequencies alone", ends, new double[] {unigram, unigram});
        chart.write(output.resolve(CHART));
        out.println("report: " + output.resolve(REPORT_FILE) + ", chart: " + output.resolve(CHART));
        return 0;
    }

    private static double[] column(List<double[]> rows, int index) {
        double[] values = new double[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = rows.get(i)[index];
        }
        return values;
    }

    static String decode(int[] ids, char[] alphabet) {
        StringBuilder text = new StringBuilder();
        for (int id : ids) {
            text.append(alphabet[id]);
        }
        return text.toString();
    }

    private static String escape(String text) {
        return text.replace("\n", "\\n");
    }

    /**
     * Bits per character of the held-out part under the training part's character frequencies
     * (add-one smoothed, so a character unseen in training costs a finite amount).
     */
    static double unigramBits(int[] train, int[] heldOut, int vocabulary) {
        double[] counts = new double[vocabulary];
        java.util.Arrays.fill(counts, 1);
        for (int id : train) {
            counts[id]++;
        }
        double total = train.length + vocabulary;
        double bits = 0;
        for (int id : heldOut) {
            bits -= Math.log(counts[id] / total) / LOG2;
        }
        return bits / heldOut.length;
    }

    /** Embedding, LSTM over the steps, dense scores of the next character at each step. */
    static final class LanguageModel {
        private final Embedding embedding;
        private final Lstm lstm;
        private final TimeDistributed scores;
        private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        private final int vocabulary;

        LanguageModel(int vocabulary, int embeddingSize, int hidden, long seed) {
            this.vocabulary = vocabulary;
            embedding = new Embedding(vocabulary, embeddingSize, seed);
            lstm = new Lstm(embeddingSize, hidden, RecurrentOptions.DEFAULT.returnSequences(true), seed + 1);
            scores = new TimeDistributed(new Dense(hidden, vocabulary, seed + 2));
        }

        List<Parameter> parameters() {
            List<Parameter> all = new ArrayList<>(embedding.parameters());
            all.addAll(lstm.parameters());
            all.addAll(scores.parameters());
            return all;
        }

        /**
         * Forward and backward of one batch of windows (N, T) against the next characters (N T);
         * returns nats per character.
         */
        float trainStep(Tensor inputs, Tensor targets) {
            Tensor logits = scores.forward(lstm.forward(embedding.forward(inputs, true), true), true);
            float value = loss.forward(logits.reshape(targets.size(), vocabulary), targets);
            embedding.backward(lstm.backward(scores.backward(loss.backward().reshape(logits.shape()))));
            return value;
        }

        /**
         * Bits per character of predicting {@code text[1..]} from what precedes each character:
         * the text is cut into 8 consecutive streams read side by side in windows of {@code window},
         * the state carried from each window to the next (a stream's first character is given).
         */
        double bitsPerCharacter(int[] text, int window) {
            int streams = Math.max(1, Math.min(8, (text.length - 1) / window));
            int length = (text.length - 1) / streams;
            lstm.stateful(true);
            double nats = 0;
            long count = 0;
            for (int from = 0; from < length; from += window) {
                int steps = Math.min(window, length - from);
                Tensor x = Tensor.zeros(streams, steps);
                Tensor y = Tensor.zeros(streams * steps);
                for (int s = 0; s < streams; s++) {
                    for (int t = 0; t < steps; t++) {
                        x.data()[s * steps + t] = text[s * length + from + t];
                        y.data()[s * steps + t] = text[s * length + from + t + 1];
                    }
                }
                Tensor logits = scores.forward(lstm.forward(embedding.forward(x, false), false), false);
                nats += (double) loss.forward(logits.reshape(streams * steps, vocabulary), y) * streams * steps;
                count += (long) streams * steps;
            }
            lstm.stateful(false);
            return nats / count / LOG2;
        }

        /** Reads the prompt, then draws {@code length} characters, each fed back in. */
        String sample(int[] prompt, int length, double temperature, SplittableRandom random, char[] alphabet) {
            lstm.stateful(true);
            Tensor x = Tensor.zeros(1, prompt.length);
            for (int t = 0; t < prompt.length; t++) {
                x.data()[t] = prompt[t];
            }
            float[] logits = scores.forward(lstm.forward(embedding.forward(x, false), false), false).toArray();
            int offset = (prompt.length - 1) * vocabulary;
            Tensor one = Tensor.zeros(1, 1);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < length; i++) {
                int next = draw(logits, offset, temperature, random);
                text.append(alphabet[next]);
                one.data()[0] = next;
                logits = scores.forward(lstm.forward(embedding.forward(one, false), false), false).toArray();
                offset = 0;
            }
            lstm.stateful(false);
            return text.toString();
        }

        private int draw(float[] logits, int offset, double temperature, SplittableRandom random) {
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocabulary; v++) {
                max = Math.max(max, logits[offset + v]);
            }
            double[] weights = new double[vocabulary];
            double sum = 0;
            for (int v = 0; v < vocabulary; v++) {
                weights[v] = Math.exp((logits[offset + v] - max) / temperature);
                sum += weights[v];
            }
            double u = random.nextDouble() * sum;
            for (int v = 0; v < vocabulary; v++) {
                u -= weights[v];
                if (u <= 0) {
                    return v;
                }
            }
            return vocabulary - 1;
        }
    }
}
