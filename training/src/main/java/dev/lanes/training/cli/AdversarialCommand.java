package dev.lanes.training.cli;

import dev.lanes.kernels.Parallel;
import dev.lanes.layers.Layer;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.Model;
import dev.lanes.training.Trainer;
import dev.lanes.training.adversarial.AdversarialTraining;
import dev.lanes.training.adversarial.AdversarialTraining.EpsilonDistribution;
import dev.lanes.training.adversarial.Attack;
import dev.lanes.training.adversarial.ExampleGrid;
import dev.lanes.training.adversarial.Fgsm;
import dev.lanes.training.adversarial.InputGradient;
import dev.lanes.training.adversarial.Pgd;
import dev.lanes.training.adversarial.PixelScale;
import dev.lanes.training.adversarial.Robustness;
import dev.lanes.training.checkpoint.ModelCheckpoint;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.models.Models;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code lanes adversarial}: the decks' table of adversarial training (Kurakin et al., 2017) on
 * Fashion-MNIST. Trains the model of {@code lanes train}'s options twice, normally and
 * adversarially; attacks both with FGSM and PGD (white box) and with FGSM crafted on a
 * substitute trained on the target's predicted labels (black box, transfer); prints the test
 * accuracy per attack and ε, and draws originals, perturbations and adversarial images.
 */
public final class AdversarialCommand implements Command {
    static final Set<String> OPTIONS = Set.of("k", "lambda", "train-epsilon", "min-train-epsilon",
            "epsilon-distribution", "train-labels", "attack-steps", "substitute", "substitute-epochs", "train-images",
            "test-images", "reuse");
    private static final List<String> DISTRIBUTIONS = List.of("normal", "uniform");
    private static final List<String> LABELS = List.of("predicted", "true");
    /** The checkpoint metadata naming what a model was trained with, for --reuse. */
    static final String RECIPE_KEY = "curriculum_recipe";
    /** The table, as printed. */
    static final String TABLE_FILE = "table.txt";
    /** The image grid. */
    static final String GRID_CHART = "examples.png";
    /** The ε of the table, in grey levels of 255. */
    static final int[] EPSILONS = {2, 4, 8, 16, 32};
    private static final String DEFAULT_OUTPUT = "runs/adversarial";

    /** The command, for the {@code lanes} program (found by its service loader). */
    public AdversarialCommand() {
    }

    @Override
    public String name() {
        return "adversarial";
    }

    @Override
    public String summary() {
        return "FGSM, PGD and transfer attacks on a standard and an adversarially trained CNN: the decks' table";
    }

    static String help() {
        return String.format(Locale.ROOT, """
                usage: lanes adversarial [OPTIONS] [OPTIONS OF lanes train]

                Trains the model of the lanes train options twice (into DIR/standard and DIR/adversarial
                of --output DIR, default %s): normally, and adversarially with the lecture
                decks' loss L = (sum of clean losses + lambda * sum of adversarial losses) / ((m - k) + lambda k)
                over batches of m = --batch-size images of which k are replaced by FGSM examples crafted
                against the current model, each with its own epsilon drawn from the training range.
                Then prints the test accuracy of both under FGSM and PGD (white box) and under a
                transfer attack (black box: FGSM crafted on a substitute model trained on the target's
                predicted labels of the training images) for epsilon = 2, 4, 8, 16, 32 grey levels of
                255, writes the table to %s and originals, perturbations and adversarial images
                with their predicted labels to %s.

                  --k K                  adversarial images per batch (default: half the batch size)
                  --lambda L             weight of the adversarial loss (default 0.3, as Kurakin et al.)
                  --train-epsilon E      largest training epsilon in grey levels (default 16)
                  --min-train-epsilon E  smallest training epsilon in grey levels (default 0)
                  --epsilon-distribution normal|uniform
                                         how each image's training epsilon is drawn: normal (default, as
                                         Kurakin et al.) has its mean at the smallest epsilon and sigma half the
                                         range, truncated to the range
                  --train-labels predicted|true
                                         craft the training examples against the labels the model predicts
                                         (default, as Kurakin et al., against label leaking) or the true ones
                  --attack-steps T       PGD steps of 2.5 epsilon / T from a random start (default 10)
                  --substitute NAME      the substitute model of the transfer attack (default lenet5)
                  --substitute-epochs N  its training epochs (default 5)
                  --train-images N       use a class-balanced sample of N training images (default: all)
                  --test-images N        use a class-balanced sample of N test images (default: all)
                  --reuse                load DIR/standard/model.safetensors and DIR/adversarial/model.safetensors
                                         instead of training them again when they were trained with the same
                                         options (the data, model and training options, the training sample,
                                         k, lambda, the epsilons and labels)
                """, DEFAULT_OUTPUT, TABLE_FILE, GRID_CHART);
    }

    /** The parsed options of one run. */
    record Settings(TrainSettings train, List<String> trainArguments, int k, double lambda, float minEpsilon,
                    float maxEpsilon, String distribution, String labels, int attackSteps, String substitute, int substituteEpochs, int trainImages,
                    int testImages, boolean reuse) {
        /**
         * What decides a model's weights: the options of lanes train except where the results go
         * and how they are shown, the training sample's size, and (for the adversarial one) k, λ and
         * the ε range. Not the test sample: a run on fewer test images may reuse the models.
         */
        String recipe(boolean adversarial) {
            List<String> significant = TrainArguments.split(trainArguments, Set.of("output", "threads", "progress"))
                    .train();
            return String.join(" ", significant) + String.format(Locale.ROOT, " train-images %d", trainImages)
                    + (adversarial ? String.format(Locale.ROOT,
                    " k %d lambda %s epsilon %s..%s %s labels %s", k, lambda, minEpsilon, maxEpsilon, distribution,
                    labels) : "");
        }
    }

    static Settings parse(List<String> arguments) throws UsageException {
        TrainArguments.Split split = TrainArguments.split(arguments, OPTIONS);
        Arguments own = Arguments.parse("adversarial", split.own(), OPTIONS, Set.of("reuse"));
        List<String> trainArguments = TrainArguments.withDefault(split.train(), "output", DEFAULT_OUTPUT);
        TrainSettings train = TrainArguments.settings("adversarial", trainArguments);
        double maxEpsilon = own.number("train-epsilon", 16, 0, true, 255);
        return new Settings(train, trainArguments,
                own.integer("k", train.batchSize() / 2, 0, train.batchSize()),
                own.number("lambda", 0.3, 0, false, 1000),
                (float) (own.number("min-train-epsilon", 0, 0, true, maxEpsilon) / 255), (float) (maxEpsilon / 255),
                own.choice("epsilon-distribution", DISTRIBUTIONS, "normal"), own.choice("train-labels", LABELS,
                        "predicted"),
                own.integer("attack-steps", 10, 1, 10_000),
                own.choice("substitute", Models.NAMES, "lenet5"),
                own.integer("substitute-epochs", 5, 1, 10_000),
                own.integer("train-images", 0, 0, Integer.MAX_VALUE),
                own.integer("test-images", 0, 0, Integer.MAX_VALUE), own.flag("reuse"));
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.print(help());
            return 0;
        }
        Settings settings = parse(arguments);
        TrainSettings train = settings.train();
        Parallel.setThreads(train.threads());
        TrainCommand.Data data = CurriculumTraining.data(train, settings.trainImages(), settings.testImages());
        PixelScale scale = new PixelScale(data.mean(), data.std());
        Path output = train.output();
        Files.createDirectories(output);
        out.printf(Locale.ROOT, "Lanes adversarial: model %s, %d epochs, batch %d, seed %d; %s: %,d training, %,d "
                        + "test images%n", train.model(), train.epochs(), train.batchSize(), train.seed(),
                data.source().description(), data.train().count(), data.test().count());

        Model standard = model(settings, data, output.resolve("standard"), false, scale, out);
        out.println("  " + fgsmRow(data.test(), scale, standard.network()));
        Model robust = model(settings, data, output.resolve("adversarial"), true, scale, out);
        List<Target> targets = List.of(new Target("standard " + train.model(), standard.network(),
                        substitute(settings, data, standard.network(), out)),
                new Target("adversarially trained", robust.network(), substitute(settings, data, robust.network(),
                        out)));
        double[][] accuracy = new double[targets.size() * 3][];
        String table = table(settings, data.test(), scale, targets, accuracy);
        String verdict = acceptance(accuracy);
        out.print(table + verdict);
        Files.writeString(output.resolve(TABLE_FILE), table + verdict, StandardCharsets.UTF_8);
        int gridEpsilon = smallestBelow(accuracy[0], 0.4);
        grid(output.resolve(GRID_CHART), data.test(), scale, targets, EPSILONS[gridEpsilon < 0 ? 2 : gridEpsilon]);
        out.println("table: " + output.resolve(TABLE_FILE) + ", examples: " + output.resolve(GRID_CHART));
        return 0;
    }

    /**
     * The standard or the adversarially trained model: trained into {@code directory}, or with
     * --reuse loaded from it when it holds a model of the same recipe.
     */
    private static Model model(Settings settings, TrainCommand.Data data, Path directory, boolean adversarial,
                               PixelScale scale, PrintStream out) throws Exception {
        TrainSettings train = settings.train();
        String recipe = settings.recipe(adversarial);
        Path file = directory.resolve(Trainer.MODEL_FILE);
        if (settings.reuse() && Files.exists(file)) {
            String saved = ModelCheckpoint.read(file).metadata().get(RECIPE_KEY);
            if (recipe.equals(saved)) {
                Model model = Models.create(train.model(), train.seed());
                ModelCheckpoint.load(file, model, null);
                out.println((adversarial ? "adversarially trained" : "standard") + " model loaded from " + file);
                return model;
            }
            out.println("not reusing " + file + ": it was trained with " + saved);
        }
        out.println(adversarial ? "adversarial training:" : "standard training:");
        AdversarialTraining[] method = new AdversarialTraining[1];
        Model model = CurriculumTraining.train(train, data.train(), data.validation(), directory, out,
                (trained, options) -> {
                    // The normalization, as lanes train records it, so that lanes eval can load the model.
                    options.metadata(RECIPE_KEY, recipe).metadata("normalize_mean", TrainCommand.floats(data.mean()))
                            .metadata("normalize_std", TrainCommand.floats(data.std()));
                    if (adversarial) {
                        method[0] = new AdversarialTraining(fgsm(trained.network(), scale), settings.k(),
                                train.batchSize(), settings.lambda(), settings.minEpsilon(), settings.maxEpsilon(),
                                settings.distribution().equals("uniform") ? EpsilonDistribution.UNIFORM
                                        : EpsilonDistribution.TRUNCATED_NORMAL,
                                settings.labels().equals("predicted") ? trained.network() : null, train.seed());
                        options.adversarial(method[0]);
                    }
                }).model();
        if (adversarial) {
            out.println("  with " + method[0]);
        }
        return model;
    }

    /**
     * The standard model's test accuracy, clean and under FGSM at each ε of the table, printed
     * before the adversarial training: it names the ε that decides the acceptance line.
     */
    private static String fgsmRow(Dataset test, PixelScale scale, Layer network) {
        Robustness robustness = new Robustness(network, 256);
        Fgsm fgsm = fgsm(network, scale);
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "under FGSM: clean %.1f%%",
                100 * robustness.accuracy(test, null, 0)));
        for (int epsilon : EPSILONS) {
            text.append(String.format(Locale.ROOT, ", e=%d %.1f%%", epsilon, 100 * robustness.accuracy(test, fgsm,
                    epsilon / 255f)));
        }
        return text.toString();
    }

    /** An attacked model and the substitute of its transfer attack. */
    record Target(String name, Layer network, Layer substitute) {
    }

    private static Fgsm fgsm(Layer network, PixelScale scale) {
        return new Fgsm(new InputGradient(network, new SoftmaxCrossEntropy()), scale, false);
    }

    /**
     * Trains the substitute on the training images labelled by the target's predictions (the
     * attacker queries the target, never sees its weights or the true labels).
     */
    private static Layer substitute(Settings settings, TrainCommand.Data data, Layer target, PrintStream out)
            throws Exception {
        Robustness oracle = new Robustness(target, 256);
        Dataset labelled = data.train().withLabels(oracle.predict(data.train()));
        TrainSettings substituteSettings = TrainArguments.settings("adversarial", TrainArguments.with(
                settings.trainArguments(), Map.of("model", settings.substitute(), "epochs",
                        Integer.toString(settings.substituteEpochs()), "patience", "0")));
        Layer substitute = CurriculumTraining.train(substituteSettings, labelled, null, null, null, null).model()
                .network();
        int[] targetSays = oracle.predict(data.test());
        int[] substituteSays = new Robustness(substitute, 256).predict(data.test());
        int agree = 0;
        for (int i = 0; i < targetSays.length; i++) {
            agree += targetSays[i] == substituteSays[i] ? 1 : 0;
        }
        out.printf(Locale.ROOT, "  substitute: %s, %d epochs on the training images labelled by the target; agrees "
                + "with it on %.1f%% of the test images%n", settings.substitute(), settings.substituteEpochs(),
                100.0 * agree / targetSays.length);
        return substitute;
    }

    /**
     * The table, and each row's accuracies (clean, then one per ε) into {@code accuracy}: per
     * target three rows, FGSM, PGD and transfer.
     */
    private static String table(Settings settings, Dataset test, PixelScale scale, List<Target> targets,
                                double[][] accuracy) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%ntop-1 accuracy on %,d test images; "
                + "epsilon in grey levels of 255%n%-52s %7s", test.count(), "", "clean"));
        for (int epsilon : EPSILONS) {
            text.append(String.format(Locale.ROOT, " %7s", "e=" + epsilon));
        }
        text.append('\n');
        int row = 0;
        for (Target target : targets) {
            Robustness robustness = new Robustness(target.network(), 256);
            double clean = robustness.accuracy(test, null, 0);
            Attack[] attacks = {fgsm(target.network(), scale), new Pgd(new InputGradient(target.network(),
                    new SoftmaxCrossEntropy()), scale, false, settings.attackSteps(), 2.5, true,
                    settings.train().seed()), fgsm(target.substitute(), scale)};
            String[] kinds = {"FGSM", "PGD, " + settings.attackSteps() + " steps", "transfer (FGSM on "
                    + settings.substitute() + ")"};
            for (int a = 0; a < attacks.length; a++) {
                accuracy[row] = new double[EPSILONS.length + 1];
                accuracy[row][0] = clean;
                text.append(String.format(Locale.ROOT, "%-52s %6.1f%%", target.name() + ", " + kinds[a],
                        100 * clean));
                for (int e = 0; e < EPSILONS.length; e++) {
                    accuracy[row][e + 1] = robustness.accuracy(test, attacks[a], EPSILONS[e] / 255f);
                    text.append(String.format(Locale.ROOT, " %6.1f%%", 100 * accuracy[row][e + 1]));
                }
                text.append('\n');
                row++;
            }
        }
        return text.toString();
    }

    /** The index in {@link #EPSILONS} of the smallest ε whose accuracy is below {@code limit}, or −1. */
    private static int smallestBelow(double[] row, double limit) {
        for (int e = 0; e < EPSILONS.length; e++) {
            if (row[e + 1] < limit) {
                return e;
            }
        }
        return -1;
    }

    /** The acceptance line: rows 0 (standard, FGSM) and 3 (adversarially trained, FGSM). */
    private static String acceptance(double[][] accuracy) {
        int e = smallestBelow(accuracy[0], 0.4);
        if (e < 0) {
            return "\nacceptance: the standard model stays at 40% or more under FGSM at every epsilon of the table\n";
        }
        double robust = accuracy[3][e + 1];
        double cleanLoss = 100 * (accuracy[0][0] - accuracy[3][0]);
        boolean holds = robust >= 0.7 && cleanLoss <= 2;
        return String.format(Locale.ROOT, "%nacceptance: at epsilon = %d, the smallest where the standard model falls "
                + "below 40%% under FGSM (%.1f%%), the adversarially trained one keeps %.1f%% (needs 70%%) and loses "
                + "%.2f points of clean accuracy (at most 2): %s%n", EPSILONS[e], 100 * accuracy[0][e + 1],
                100 * robust, cleanLoss, holds ? "met" : "NOT met");
    }

    /** The first test image of each class, and for each target its FGSM perturbation and adversarial image. */
    private static void grid(Path png, Dataset test, PixelScale scale, List<Target> targets, int epsilon)
            throws Exception {
        List<Integer> picked = new ArrayList<>();
        for (int c = 0; c < test.classes(); c++) {
            for (int i = 0; i < test.count(); i++) {
                if (test.label(i) == c) {
                    picked.add(i);
                    break;
                }
            }
        }
        int n = picked.size();
        Tensor originals = Tensor.zeros(n, 1, test.height(), test.width());
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            test.copyImage(picked.get(i), originals.data(), i * test.imageSize());
            labels[i] = test.label(picked.get(i));
        }
        List<ExampleGrid.Row> rows = new ArrayList<>();
        rows.add(row("original (true class)", originals, originals, labels, labels, test, scale, false, 1));
        float[] epsilons = new float[n];
        java.util.Arrays.fill(epsilons, epsilon / 255f);
        for (Target target : targets) {
            Tensor adversarial = Tensor.zeros(originals.shape());
            fgsm(target.network(), scale).perturb(adversarial, originals, labels, epsilons);
            int[] predicted = new Robustness(target.network(), n).predict(adversarial);
            rows.add(row(target.name() + ": perturbation", adversarial, originals, null, labels, test, scale, true,
                    epsilon / 255f));
            rows.add(row("FGSM e=" + epsilon + ", its prediction", adversarial, null, predicted, labels, test, scale,
                    false, 1));
        }
        ExampleGrid.write(png, test.height(), test.width(), rows);
    }

    /**
     * A grid row of pixel images, or of (images − reference) / range when {@code signed}; captions
     * name {@code classes} (none when null), in red where they differ from {@code labels}.
     */
    private static ExampleGrid.Row row(String title, Tensor images, Tensor reference, int[] classes, int[] labels,
                                       Dataset test, PixelScale scale, boolean signed, float range) {
        List<float[]> pictures = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        List<Boolean> flagged = new ArrayList<>();
        int size = test.imageSize();
        for (int i = 0; i < images.dim(0); i++) {
            float[] picture = new float[size];
            for (int p = 0; p < size; p++) {
                float pixel = scale.pixel(0, images.data()[i * size + p]);
                picture[p] = signed ? (pixel - scale.pixel(0, reference.data()[i * size + p])) / range : pixel;
            }
            pictures.add(picture);
            captions.add(classes == null ? "" : test.classNames().get(classes[i]));
            flagged.add(classes != null && classes[i] != labels[i]);
        }
        return new ExampleGrid.Row(title, pictures, signed, captions, flagged);
    }
}
