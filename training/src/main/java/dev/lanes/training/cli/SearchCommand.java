package dev.lanes.training.cli;

import dev.lanes.kernels.Parallel;
import dev.lanes.training.Evaluation;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.random.SplitMix64;
import dev.lanes.training.search.CoarseToFine;
import dev.lanes.training.search.Hyperparameter;
import dev.lanes.training.search.SearchCharts;
import dev.lanes.training.search.SearchResult;
import dev.lanes.training.search.SearchSpace;
import dev.lanes.training.search.Trial;
import dev.lanes.training.search.TrialLog;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code lanes search}: random coarse-to-fine search over options of {@code lanes train}
 * ({@link CoarseToFine}), each trial a short training run on one copy of the data, logged to a
 * CSV file it resumes from; prints the ranked configurations with the bias/variance diagnosis of
 * each and draws validation accuracy against each parameter.
 */
public final class SearchCommand implements Command {
    static final Set<String> OPTIONS = Set.of("space", "trials", "time", "stages", "repeats", "top", "train-images");
    /** The trial log. */
    static final String LOG_FILE = "trials.csv";
    /** The ranked table. */
    static final String RESULTS_FILE = "results.txt";
    /** The space searched when none is given. */
    static final String DEFAULT_SPACE = "lr=log:1e-4:1e-2; batch-size=choice:32,64,128,256; weight-decay=log:1e-6:1e-2";
    private static final String DEFAULT_OUTPUT = "runs/search";
    private static final String DEFAULT_EPOCHS = "2";

    /** The command, for the {@code lanes} program (found by its service loader). */
    public SearchCommand() {
    }

    @Override
    public String name() {
        return "search";
    }

    @Override
    public String summary() {
        return "random coarse-to-fine hyper-parameter search over lanes train's options, resumable";
    }

    static String help() {
        return String.format(Locale.ROOT, """
                usage: lanes search [OPTIONS] [OPTIONS OF lanes train]

                Random coarse-to-fine search (the lecture decks' strategy) over options of lanes train: first
                the default settings, then a coarse stage of configurations drawn from the whole space, then
                fine stages drawn from ranges narrowed around the best so far. Each configuration trains
                --repeats times from different initialisations (the same seeds for all) and is ranked by its
                mean validation accuracy. The options of lanes train set what is not searched (default
                --epochs %s here, --output %s); its --seed seeds the search and the data split.
                Every finished trial is appended to DIR/%s: run the same command again to resume an
                interrupted search. Prints the ranked table (also in DIR/%s) with the bias/variance
                diagnosis of each configuration and draws DIR/scatter_PARAMETER.png.

                  --space SPEC        parameters separated by ';', each NAME=KIND:ARGUMENTS with NAME an option
                                      of lanes train and KIND log:LOW:HIGH (log-uniform), uniform:LOW:HIGH,
                                      int:LOW:HIGH, logint:LOW:HIGH (integers uniform in log) or choice:A,B,..
                                      (default "%s")
                  --trials N          budget: training runs beyond the defaults' (half the configurations
                                      coarse, the rest shared by the fine stages)
                  --time MINUTES      budget: total minutes of finished runs (half of it coarse); with --trials,
                                      whichever ends a stage first. One of the two is required
                  --stages S          one coarse and S - 1 fine stages (default 3)
                  --repeats R         runs per configuration (default 2)
                  --top F             a fine stage narrows around this fraction of the configurations so far,
                                      at least 2 (default 0.25)
                  --train-images N    train on a class-balanced sample of N images (default: all)
                """, DEFAULT_EPOCHS, DEFAULT_OUTPUT, LOG_FILE, RESULTS_FILE, DEFAULT_SPACE);
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.print(help());
            return 0;
        }
        TrainArguments.Split split = TrainArguments.split(arguments, OPTIONS);
        Arguments own = Arguments.parse(name(), split.own(), OPTIONS, Set.of());
        List<String> base = TrainArguments.withDefault(TrainArguments.withDefault(split.train(), "output",
                DEFAULT_OUTPUT), "epochs", DEFAULT_EPOCHS);
        TrainSettings settings = TrainArguments.settings(name(), base);
        if (settings.validation() == 0) {
            throw new UsageException("lanes search: trials are ranked by validation accuracy; --validation must be "
                    + "above 0");
        }
        SearchSpace space;
        CoarseToFine search;
        try {
            space = SearchSpace.parse(own.string("space", DEFAULT_SPACE));
            search = new CoarseToFine(space, settings.seed(), own.integer("stages", 3, 1, 100),
                    own.integer("repeats", 2, 1, 100), own.integer("trials", 0, 0, 1_000_000),
                    60 * own.number("time", 0, 0, true, 1e7), own.number("top", 0.25, 0, false, 1));
        } catch (IllegalArgumentException e) {
            throw new UsageException("lanes search: " + e.getMessage());
        }
        checkSpace(space, base);
        Parallel.setThreads(settings.threads());
        TrainCommand.Data data = CurriculumTraining.data(settings, own.integer("train-images", 0, 0,
                Integer.MAX_VALUE), 0);
        Dataset trainSample = CurriculumTraining.sample(data.train(), data.validation().count(), settings.seed());
        Path output = settings.output();
        Files.createDirectories(output);
        out.printf(Locale.ROOT, "Lanes search: %s; %s: %,d training, %,d validation images; trials of %d epochs%n",
                String.join(", ", space.names()), data.source().description(), data.train().count(),
                data.validation().count(), settings.epochs());
        SearchResult result = search.run((values, seed) -> trial(base, values, seed, data, trainSample),
                new TrialLog(output.resolve(LOG_FILE), space), out);
        String report = report(result);
        out.print(report);
        Files.writeString(output.resolve(RESULTS_FILE), report, StandardCharsets.UTF_8);
        SearchCharts.write(output, result);
        out.println("trials: " + output.resolve(LOG_FILE) + "; table and scatter plots in " + output);
        return 0;
    }

    /** Parses one configuration of the space's first values, so a bad name or value fails before any training. */
    private static void checkSpace(SearchSpace space, List<String> base) throws UsageException {
        Map<String, String> first = new LinkedHashMap<>();
        for (Hyperparameter parameter : space.parameters()) {
            first.put(parameter.name(), parameter.sample(parameter.full(), new SplitMix64(0)));
        }
        TrainArguments.settings("search", TrainArguments.with(base, first));
    }

    /** One trial: lanes train's settings with the trial's values and seed, trained and measured. */
    private static Trial.Result trial(List<String> base, Map<String, String> values, long seed,
                                      TrainCommand.Data data, Dataset trainSample) throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>(values);
        overrides.put("seed", Long.toString(seed));
        TrainSettings settings = TrainArguments.settings("search", TrainArguments.with(base, overrides));
        long start = System.nanoTime();
        CurriculumTraining.Trained trained = CurriculumTraining.train(settings, data.train(), data.validation(), null,
                null, null);
        Evaluation train = CurriculumTraining.evaluate(trained.trainer(), trainSample);
        Evaluation validation = trained.result().finalValidation();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Trial.Result(train.accuracy(), validation.accuracy(), validation.loss(),
                trained.result().finalEpoch(), seconds);
    }

    /** The ranked table, then the default settings against the best of each stage. */
    static String report(SearchResult result) {
        StringBuilder text = new StringBuilder("\n").append(result.table()).append('\n');
        SearchResult.Configuration defaults = result.defaults();
        for (int stage = 0; stage <= result.lastStage(); stage++) {
            SearchResult.Configuration best = result.bestOfStage(stage);
            if (best == null) {
                continue;
            }
            text.append(String.format(Locale.ROOT, "%-16s %6.2f%% validation (%d runs)%s%n", stage == 0
                            ? "default settings" : "best " + Trial.stageName(stage), 100 * best.validationAccuracy(),
                    best.runs(), stage == 0 ? "" : ": " + values(result, best)
                            + (defaults == null ? "" : String.format(Locale.ROOT, ", %+.2f points on the defaults",
                            100 * (best.validationAccuracy() - defaults.validationAccuracy())))));
        }
        return text.toString();
    }

    private static String values(SearchResult result, SearchResult.Configuration configuration) {
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < configuration.values().size(); p++) {
            text.append(p == 0 ? "" : " ").append(result.space().names().get(p)).append('=')
                    .append(configuration.values().get(p));
        }
        return text.toString();
    }
}
