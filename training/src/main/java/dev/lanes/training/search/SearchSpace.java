package dev.lanes.training.search;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The parameters a search varies, in a fixed order (the order of the trial log's columns).
 *
 * @param parameters at least one, with distinct names
 */
public record SearchSpace(List<Hyperparameter> parameters) {
    /** Checks and copies the parameters. */
    public SearchSpace {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("a search space needs at least one parameter");
        }
        Set<String> names = new HashSet<>();
        for (Hyperparameter parameter : parameters) {
            if (!names.add(parameter.name())) {
                throw new IllegalArgumentException("the parameter " + parameter.name() + " is given twice");
            }
        }
        parameters = List.copyOf(parameters);
    }

    /**
     * Parses parameters separated by semicolons, each as {@link Hyperparameter#parse} reads it:
     * {@code "lr=log:1e-4:1e-2; batch-size=choice:32,64,128"}.
     *
     * @param text the parameters' specifications, separated by semicolons
     * @return the search space
     */
    public static SearchSpace parse(String text) {
        List<Hyperparameter> parameters = new ArrayList<>();
        for (String part : text.split(";")) {
            if (!part.isBlank()) {
                parameters.add(Hyperparameter.parse(part.trim()));
            }
        }
        return new SearchSpace(parameters);
    }

    /** {@return the parameters' names, in order} */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (Hyperparameter parameter : parameters) {
            names.add(parameter.name());
        }
        return names;
    }

    /** {@return the full range of every parameter (the coarse stage's)} */
    public List<Hyperparameter.Range> fullRanges() {
        List<Hyperparameter.Range> ranges = new ArrayList<>();
        for (Hyperparameter parameter : parameters) {
            ranges.add(parameter.full());
        }
        return ranges;
    }
}
