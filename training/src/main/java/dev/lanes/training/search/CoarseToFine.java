package dev.lanes.training.search;

import dev.lanes.training.random.SplitMix64;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Random coarse-to-fine hyper-parameter search, the decks' strategy: the default settings first
 * (the baseline), then a coarse stage of configurations drawn at random from the whole space,
 * then fine stages, each drawing from ranges narrowed around the best configurations so far
 * ({@link Hyperparameter#narrow}). Every configuration is trained {@code repeats} times from
 * different initialisations (the same seeds for every configuration, so they compete on equal
 * terms) and ranked by its mean validation accuracy.
 *
 * <p><b>Budget</b>: a number of trials (training runs, beyond the defaults'), of which the coarse
 * stage gets half the configurations and the fine stages share the rest; or a time (the summed
 * wall-clock seconds of the finished trials, the defaults' included), of which the coarse stage
 * gets half of what remains after the defaults; or both, whichever ends a stage first. A
 * configuration that has started is finished.
 *
 * <p><b>Deterministic and resumable</b>: configuration j of stage s is drawn from a stream
 * seeded by (seed, s, j) in ranges that depend only on earlier trials, so a search is fixed by
 * its seed, space and budget. Each finished trial is appended to the {@link TrialLog}; a search
 * started again on the same log takes the trials it finds there instead of running them (after
 * checking they are the ones it would draw), so an interrupted search neither loses nor repeats
 * a trial.
 */
public final class CoarseToFine {
    /** Trains one configuration once. */
    @FunctionalInterface
    public interface Objective {
        /**
         * Trains with the given settings (parameter name to value; empty for the defaults) from
         * {@code seed} and measures the result.
         *
         * @param settings parameter name to value; empty for the defaults
         * @param seed the seed of the run
         * @return the measured result
         * @throws Exception anything the trial throws, which stops the search
         */
        Trial.Result run(Map<String, String> settings, long seed) throws Exception;
    }

    private final SearchSpace space;
    private final long seed;
    private final int stages;
    private final int repeats;
    private final int trials;
    private final double seconds;
    private final double top;

    /**
     * A search over {@code space}: a coarse stage over the full ranges, then fine stages around the
     * best configurations, within the trial or time budget.
     *
     * @param space the parameters and their ranges
     * @param seed the seed of the sampling and the runs
     * @param stages  1 coarse stage and {@code stages − 1} fine ones, at least 1
     * @param repeats runs per configuration, at least 1
     * @param trials  the trial budget (0 for none), at least one configuration per stage
     * @param seconds the time budget (0 for none); one of the two budgets must be given
     * @param top     the fraction of the configurations so far (at least 2) a fine stage narrows around
     */
    public CoarseToFine(SearchSpace space, long seed, int stages, int repeats, int trials, double seconds,
                        double top) {
        if (stages < 1 || repeats < 1) {
            throw new IllegalArgumentException("stages and repeats must be at least 1, got " + stages + " and "
                    + repeats);
        }
        if (trials < 0 || !(seconds >= 0) || trials == 0 && seconds == 0) {
            throw new IllegalArgumentException("give a budget: trials (" + trials + ") or seconds (" + seconds
                    + ") must be positive and neither negative");
        }
        if (trials > 0 && trials / repeats < stages) {
            throw new IllegalArgumentException(trials + " trials of " + repeats + " repeats make fewer configurations"
                    + " than the " + stages + " stages");
        }
        if (!(top > 0 && top <= 1)) {
            throw new IllegalArgumentException("top must be in (0, 1], got " + top);
        }
        this.space = space;
        this.seed = seed;
        this.stages = stages;
        this.repeats = repeats;
        this.trials = trials;
        this.seconds = seconds;
        this.top = top;
    }

    /** The state of one {@link #run}. */
    private final class Run {
        final Objective objective;
        final TrialLog log;
        final PrintStream out;
        final Map<String, Trial> recorded = new HashMap<>();
        final List<Trial> done = new ArrayList<>();
        double used;
        double defaultSeconds;

        Run(Objective objective, TrialLog log, PrintStream out) throws IOException {
            this.objective = objective;
            this.log = log;
            this.out = out;
            for (Trial trial : log.read()) {
                recorded.put(key(trial.stage(), trial.configuration(), trial.repeat()), trial);
            }
        }
    }

    /**
     * Runs (or resumes) the search, printing each trial and each stage's ranges to {@code out}.
     *
     * @param objective what a trial trains and measures
     * @param log the trial log it appends to and resumes from
     * @param out the stream for the progress lines
     * @return the search's result
     * @throws IOException if the log belongs to another search or cannot be written
     * @throws Exception   whatever the objective throws
     */
    public SearchResult run(Objective objective, TrialLog log, PrintStream out) throws Exception {
        Run run = new Run(objective, log, out);
        if (!run.recorded.isEmpty()) {
            out.printf(Locale.ROOT, "resuming: %d finished trials in %s%n", run.recorded.size(), log.file());
        }
        for (int r = 0; r < repeats; r++) {
            obtain(run, 0, 0, r, List.of());
        }
        run.defaultSeconds = run.used;
        List<Hyperparameter.Range> ranges = space.fullRanges();
        for (int stage = 1; stage <= stages; stage++) {
            if (stage > 1) {
                ranges = narrow(ranges, SearchResult.configurations(run.done, space));
            }
            out.println(Trial.stageName(stage) + " stage: " + describe(ranges));
            for (int j = 0; hasRoom(run, stage, j); j++) {
                List<String> values = sample(stage, j, ranges);
                for (int r = 0; r < repeats; r++) {
                    obtain(run, stage, j, r, values);
                }
            }
        }
        return new SearchResult(space, run.done);
    }

    /** Whether stage {@code stage} may start its configuration {@code j}. */
    private boolean hasRoom(Run run, int stage, int j) {
        boolean byTrials = trials == 0 || j < plannedConfigurations(stage);
        if (seconds == 0) {
            return byTrials;
        }
        double afterDefaults = Math.max(0, seconds - run.defaultSeconds);
        double share = stages == 1 ? 1 : stage == 1 ? 0.5 : 0.5 + 0.5 * (stage - 1) / (stages - 1);
        return byTrials && run.used < run.defaultSeconds + share * afterDefaults;
    }

    /** The configurations of a stage under the trial budget: half for the coarse stage, the rest shared. */
    int plannedConfigurations(int stage) {
        int configurations = trials / repeats;
        int coarse = stages == 1 ? configurations : (configurations + 1) / 2;
        if (stage == 1) {
            return coarse;
        }
        int fine = configurations - coarse;
        int fineStages = stages - 1;
        return fine / fineStages + (stage - 2 < fine % fineStages ? 1 : 0);
    }

    /** Configuration {@code j} of {@code stage}, drawn from its own stream. */
    List<String> sample(int stage, int j, List<Hyperparameter.Range> ranges) {
        SplitMix64 random = new SplitMix64(SplitMix64.derive(SplitMix64.derive(seed, stage), j));
        List<String> values = new ArrayList<>();
        for (int p = 0; p < ranges.size(); p++) {
            values.add(space.parameters().get(p).sample(ranges.get(p), random));
        }
        return values;
    }

    /** Each parameter's range narrowed around the best configurations of the stages so far. */
    private List<Hyperparameter.Range> narrow(List<Hyperparameter.Range> ranges,
                                              List<SearchResult.Configuration> configurations) {
        List<SearchResult.Configuration> searched = new ArrayList<>();
        for (SearchResult.Configuration configuration : configurations) {
            if (configuration.stage() > 0) {
                searched.add(configuration);
            }
        }
        int count = Math.min(searched.size(), Math.max(2, (int) Math.round(top * searched.size())));
        List<Hyperparameter.Range> narrowed = new ArrayList<>();
        for (int p = 0; p < ranges.size(); p++) {
            List<String> best = new ArrayList<>();
            for (SearchResult.Configuration configuration : searched.subList(0, count)) {
                best.add(configuration.values().get(p));
            }
            narrowed.add(space.parameters().get(p).narrow(ranges.get(p), best));
        }
        return narrowed;
    }

    private String describe(List<Hyperparameter.Range> ranges) {
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < ranges.size(); p++) {
            Hyperparameter parameter = space.parameters().get(p);
            text.append(p == 0 ? "" : ", ").append(parameter.name()).append(" ")
                    .append(ranges.get(p).describe(parameter));
        }
        return text.toString();
    }

    /** The seed of repeat {@code r}: the same for every configuration. */
    long repeatSeed(int r) {
        return SplitMix64.derive(seed, 0x5245504541L + r);
    }

    /** Takes the trial from the log, or runs it and appends it. */
    private void obtain(Run run, int stage, int j, int r, List<String> values) throws Exception {
        Trial trial = run.recorded.get(key(stage, j, r));
        long trialSeed = repeatSeed(r);
        if (trial != null) {
            if (!trial.values().equals(values) || trial.seed() != trialSeed) {
                throw new IOException(run.log.file() + " holds trial " + key(stage, j, r) + " with " + trial.values()
                        + " and seed " + trial.seed() + ", but this search draws " + values + " and seed " + trialSeed
                        + ": it was written by a search with another seed, space or budget");
            }
        } else {
            Map<String, String> settings = new LinkedHashMap<>();
            for (int p = 0; p < values.size(); p++) {
                settings.put(space.parameters().get(p).name(), values.get(p));
            }
            trial = new Trial(stage, j, r, trialSeed, values, run.objective.run(settings, trialSeed));
            run.log.append(trial);
            report(run.out, trial);
        }
        run.done.add(trial);
        run.used += trial.result().seconds();
    }

    private void report(PrintStream out, Trial trial) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %s %d.%d", Trial.stageName(trial.stage()),
                trial.configuration(), trial.repeat()));
        for (int p = 0; p < trial.values().size(); p++) {
            line.append(' ').append(space.parameters().get(p).name()).append('=').append(trial.values().get(p));
        }
        Trial.Result result = trial.result();
        line.append(String.format(Locale.ROOT, ": %.1f s; %s", result.seconds(),
                BiasVariance.of(result.trainAccuracy(), result.validationAccuracy()).describe()));
        out.println(line);
    }

    private static String key(int stage, int configuration, int repeat) {
        return Trial.stageName(stage) + " " + configuration + "." + repeat;
    }
}
