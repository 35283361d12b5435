package dev.lanes.training.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parsed {@code --name value} / {@code --name=value} options of one command. Every option must
 * be among the command's known ones, may be given once, and needs a value unless it is a flag;
 * the typed getters check the value and say which option was wrong and what it takes.
 */
public final class Arguments {
    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> flags = new ArrayList<>();

    private Arguments(String command) {
        this.command = command;
    }

    /**
     * Parses {@code arguments} against the options (names without dashes) taking a value and the
     * flags taking none.
     *
     * @param command the command's name, for messages
     * @param arguments the command-line arguments after the command
     * @param options the names of the options that take a value, without dashes
     * @param flagNames the names of the flags that take none, without dashes
     * @return the parsed options
     * @throws UsageException for an unknown option, a missing value, a repeated option or a stray word
     */
    public static Arguments parse(String command, List<String> arguments, Set<String> options, Set<String> flagNames)
            throws UsageException {
        Arguments parsed = new Arguments(command);
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (!argument.startsWith("--") || argument.length() == 2) {
                throw new UsageException("lanes " + command + ": unexpected argument '" + argument
                        + "' (options start with --; see lanes " + command + " --help)");
            }
            String name = argument.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (flagNames.contains(name)) {
                if (value != null) {
                    throw new UsageException("lanes " + command + ": option --" + name + " takes no value");
                }
                if (parsed.flags.contains(name)) {
                    throw new UsageException("lanes " + command + ": option --" + name + " is given twice");
                }
                parsed.flags.add(name);
                continue;
            }
            if (!options.contains(name)) {
                throw new UsageException(unknown(command, name, options, flagNames));
            }
            if (value == null) {
                if (i + 1 >= arguments.size()) {
                    throw new UsageException("lanes " + command + ": option --" + name + " needs a value");
                }
                value = arguments.get(++i);
            }
            if (parsed.values.put(name, value) != null) {
                throw new UsageException("lanes " + command + ": option --" + name + " is given twice");
            }
        }
        return parsed;
    }

    /**
     * The message for an unknown option: the known ones when there are few, else the nearest
     * known name when one is close (a typo), and always the command's help.
     */
    static String unknown(String command, String name, Set<String> options, Set<String> flagNames) {
        List<String> known = new ArrayList<>(options);
        known.addAll(flagNames);
        known.sort(null);
        String help = "see lanes " + command + " --help";
        if (known.isEmpty()) {
            return "lanes " + command + ": unknown option --" + name + " (it takes no options; " + help + ")";
        }
        if (known.size() <= FEW_OPTIONS) {
            return "lanes " + command + ": unknown option --" + name + " (valid: --" + String.join(", --", known)
                    + "; " + help + ")";
        }
        String nearest = null;
        int best = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = editDistance(name, candidate);
            if (distance < best) {
                best = distance;
                nearest = candidate;
            }
        }
        String suggestion = best <= Math.max(1, name.length() / 3) ? "did you mean --" + nearest + "? " : "";
        return "lanes " + command + ": unknown option --" + name + " (" + suggestion + help + ")";
    }

    /** Commands with at most this many options list them all in an unknown-option message. */
    private static final int FEW_OPTIONS = 8;

    /** Levenshtein distance: insertions, deletions and substitutions of one character. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * {@return whether the flag was given}
     *
     * @param name the option's name, without dashes
     */
    public boolean flag(String name) {
        return flags.contains(name);
    }

    /**
     * {@return whether the option was given}
     *
     * @param name the option's name, without dashes
     */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * {@return the option's text, or {@code fallback}}
     *
     * @param name the option's name, without dashes
     * @param fallback the value when the option was not given
     */
    public String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /**
     * {@return the option as one of {@code choices} (lower case), or {@code fallback}}
     *
     * @param name the option's name, without dashes
     * @param choices the allowed values, in lower case
     * @param fallback the value when the option was not given
     * @throws UsageException naming the option and what was wrong with its value
     */
    public String choice(String name, List<String> choices, String fallback) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (!choices.contains(lower)) {
            throw error(name, value, "one of " + String.join(", ", choices));
        }
        return lower;
    }

    /**
     * {@return the option as an int in [min, max], or {@code fallback}}
     *
     * @param name the option's name, without dashes
     * @param fallback the value when the option was not given
     * @param min the smallest allowed value
     * @param max the largest allowed value
     * @throws UsageException naming the option and what was wrong with its value
     */
    public int integer(String name, int fallback, int min, int max) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        String expected = max == Integer.MAX_VALUE ? "an integer of at least " + min
                : "an integer from " + min + " to " + max;
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw error(name, value, expected);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw error(name, value, expected);
        }
    }

    /**
     * {@return the option as a long, or {@code fallback}}
     *
     * @param name the option's name, without dashes
     * @param fallback the value when the option was not given
     * @throws UsageException naming the option and what was wrong with its value
     */
    public long longValue(String name, long fallback) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw error(name, value, "an integer");
        }
    }

    /**
     * {@return the option as a finite number in [min, max] (with {@code minInclusive} false, above
     * min), or {@code fallback}}
     *
     * @param name the option's name, without dashes
     * @param fallback the value when the option was not given
     * @param min the lower bound
     * @param minInclusive true to allow {@code min} itself
     * @param max the largest allowed value
     * @throws UsageException naming the option and what was wrong with its value
     */
    public double number(String name, double fallback, double min, boolean minInclusive, double max)
            throws UsageException {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        String expected = "a number " + (minInclusive ? ">= " : "> ") + min
                + (max == Double.POSITIVE_INFINITY ? "" : " and <= " + max);
        try {
            double parsed = Double.parseDouble(value.trim());
            boolean aboveMin = minInclusive ? parsed >= min : parsed > min;
            if (!Double.isFinite(parsed) || !aboveMin || parsed > max) {
                throw error(name, value, expected);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw error(name, value, expected);
        }
    }

    /**
     * {@return the option as a path, or null when it was not given}
     *
     * @param name the option's name, without dashes
     * @throws UsageException naming the option and what was wrong with its value
     */
    public Path path(String name) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw error(name, value, "a path");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw error(name, value, "a path (" + e.getReason() + ")");
        }
    }

    private UsageException error(String name, String value, String expected) {
        return new UsageException("lanes " + command + ": option --" + name + " must be " + expected + ", got '"
                + value + "'");
    }
}
