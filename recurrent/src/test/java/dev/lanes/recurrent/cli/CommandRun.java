package dev.lanes.recurrent.cli;

import dev.lanes.training.cli.Lanes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One run of the lanes program: exit status, standard output and standard error. */
record CommandRun(int status, String out, String err) {
    static CommandRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Lanes.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CommandRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The number of the first match of {@code regex}'s group 1 in the output. */
    double number(String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(out);
        if (!matcher.find()) {
            throw new AssertionError("no match of " + regex + " in:\n" + out + err);
        }
        return Double.parseDouble(matcher.group(1));
    }

    @Override
    public String toString() {
        return "status " + status + "\n" + out + err;
    }
}
