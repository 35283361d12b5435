package dev.lanes.training.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command lines that mix a command's own options with {@code lanes train}'s: the curriculum
 * commands train models as {@code lanes train} does and pass any of its options through.
 */
final class TrainArguments {
    private TrainArguments() {
    }

    /** A command's own options and the ones it passes to {@code lanes train}'s parser. */
    record Split(List<String> own, List<String> train) {
    }

    /**
     * Splits {@code arguments} by option name: {@code --name value}, {@code --name=value} and
     * flags (an option followed by another option or by nothing) go to {@code own} when the name
     * is in {@code ownNames}, else to {@code train}. Words that are not options stay with the
     * train options, whose parser names them.
     */
    static Split split(List<String> arguments, Set<String> ownNames) {
        List<String> own = new ArrayList<>();
        List<String> train = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            String name = optionName(argument);
            List<String> target = name != null && ownNames.contains(name) ? own : train;
            target.add(argument);
            boolean takesNext = name != null && !argument.contains("=") && i + 1 < arguments.size()
                    && optionName(arguments.get(i + 1)) == null;
            if (takesNext) {
                target.add(arguments.get(++i));
            }
        }
        return new Split(own, train);
    }

    /**
     * {@code arguments} (options of {@code lanes train}) with each option of {@code overrides}
     * set to its value: earlier occurrences are removed, the new values appended.
     */
    static List<String> with(List<String> arguments, Map<String, String> overrides) {
        Split split = split(arguments, overrides.keySet());
        List<String> result = new ArrayList<>(split.train());
        for (Map.Entry<String, String> entry : new LinkedHashMap<>(overrides).entrySet()) {
            result.add("--" + entry.getKey());
            result.add(entry.getValue());
        }
        return result;
    }

    /** {@code arguments} with {@code --name value} appended unless the option is there. */
    static List<String> withDefault(List<String> arguments, String name, String value) {
        if (!split(arguments, Set.of(name)).own().isEmpty()) {
            return arguments;
        }
        List<String> result = new ArrayList<>(arguments);
        result.add("--" + name);
        result.add(value);
        return result;
    }

    /**
     * {@link TrainSettings#parse} of {@code arguments} for the command {@code command}: a bad
     * option is reported as that command's, with a pointer to {@code lanes train --help}.
     */
    static TrainSettings settings(String command, List<String> arguments) throws UsageException {
        try {
            return TrainSettings.parse(arguments);
        } catch (UsageException e) {
            String message = e.getMessage().replaceFirst("^lanes train: ", "");
            throw new UsageException("lanes " + command + ": " + message.replace("(see lanes train --help)",
                    "(see lanes " + command + " --help; it also takes the options of lanes train --help)"));
        }
    }

    /** The option's name for {@code --name} or {@code --name=value}, else null. */
    private static String optionName(String argument) {
        if (!argument.startsWith("--") || argument.length() == 2) {
            return null;
        }
        int equals = argument.indexOf('=');
        return equals < 0 ? argument.substring(2) : argument.substring(2, equals);
    }
}
