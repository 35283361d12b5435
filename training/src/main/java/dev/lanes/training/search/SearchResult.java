package dev.lanes.training.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The trials of a search and its configurations ranked by mean validation accuracy.
 *
 * @param space  the searched parameters
 * @param trials every trial, in the order the search took them
 */
public record SearchResult(SearchSpace space, List<Trial> trials) {
    /** Copies the trials. */
    public SearchResult {
        trials = List.copyOf(trials);
    }

    /**
     * A configuration's runs summarized.
     *
     * @param stage              its stage (0: the default settings)
     * @param configuration      its number within the stage
     * @param values             its values (empty for the defaults)
     * @param runs               how many runs (repeats) it had
     * @param trainAccuracy      the mean training accuracy
     * @param validationAccuracy the mean validation accuracy
     * @param validationSpread   the standard deviation of the validation accuracy over the runs
     */
    public record Configuration(int stage, int configuration, List<String> values, int runs, double trainAccuracy,
                                double validationAccuracy, double validationSpread) {
    }

    /**
     * {@return the configurations, best mean validation accuracy first (ties: the earlier one
     * first)}
     */
    public List<Configuration> configurations() {
        return configurations(trials, space);
    }

    static List<Configuration> configurations(List<Trial> trials, SearchSpace space) {
        Map<String, List<Trial>> groups = new LinkedHashMap<>();
        for (Trial trial : trials) {
            groups.computeIfAbsent(trial.stage() + "." + trial.configuration(), key -> new ArrayList<>()).add(trial);
        }
        List<Configuration> configurations = new ArrayList<>();
        for (List<Trial> group : groups.values()) {
            double train = 0;
            double validation = 0;
            for (Trial trial : group) {
                train += trial.result().trainAccuracy();
                validation += trial.result().validationAccuracy();
            }
            int n = group.size();
            double mean = validation / n;
            double squares = 0;
            for (Trial trial : group) {
                squares += Math.pow(trial.result().validationAccuracy() - mean, 2);
            }
            Trial first = group.getFirst();
            configurations.add(new Configuration(first.stage(), first.configuration(), first.values(), n, train / n,
                    mean, n > 1 ? Math.sqrt(squares / (n - 1)) : 0));
        }
        configurations.sort(Comparator.comparingDouble(Configuration::validationAccuracy).reversed());
        return configurations;
    }

    /** {@return the default settings' summary, or null when the search ran none} */
    public Configuration defaults() {
        for (Configuration configuration : configurations()) {
            if (configuration.stage() == 0) {
                return configuration;
            }
        }
        return null;
    }

    /**
     * {@return the best configuration of {@code stage}, or null when it ran none}
     *
     * @param stage the stage, from 0 (the defaults)
     */
    public Configuration bestOfStage(int stage) {
        for (Configuration configuration : configurations()) {
            if (configuration.stage() == stage) {
                return configuration;
            }
        }
        return null;
    }

    /** {@return the best searched configuration (stage 1 or later), or null} */
    public Configuration best() {
        for (Configuration configuration : configurations()) {
            if (configuration.stage() > 0) {
                return configuration;
            }
        }
        return null;
    }

    /** {@return the highest stage that ran} */
    public int lastStage() {
        int last = 0;
        for (Trial trial : trials) {
            last = Math.max(last, trial.stage());
        }
        return last;
    }

    /**
     * {@return the ranked configurations as a text table with the bias/variance diagnosis of each}
     */
    public String table() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%4s  %-8s %5s", "rank", "stage", "conf"));
        for (String name : space.names()) {
            text.append(String.format(Locale.ROOT, "  %-12s", name));
        }
        text.append(String.format(Locale.ROOT, "  %5s  %8s  %15s  %s%n", "runs", "train", "validation", "diagnosis"));
        int rank = 1;
        for (Configuration c : configurations()) {
            text.append(String.format(Locale.ROOT, "%4d  %-8s %5d", rank++, Trial.stageName(c.stage()),
                    c.configuration()));
            for (int p = 0; p < space.names().size(); p++) {
                text.append(String.format(Locale.ROOT, "  %-12s", c.values().isEmpty() ? "(default)" : c.values()
                        .get(p)));
            }
            text.append(String.format(Locale.ROOT, "  %5d  %7.2f%%  %7.2f%% ± %4.2f  %s%n", c.runs(),
                    100 * c.trainAccuracy(), 100 * c.validationAccuracy(), 100 * c.validationSpread(),
                    BiasVariance.of(c.trainAccuracy(), c.validationAccuracy()).verdict()));
        }
        return text.toString();
    }
}
