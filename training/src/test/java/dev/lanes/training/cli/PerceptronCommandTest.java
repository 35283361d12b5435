package dev.lanes.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lanes perceptron end to end with small budgets on the bundled subset. */
class PerceptronCommandTest {
    @TempDir
    Path directory;

    static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Lanes.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(status), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void reportsXorAndTheFashionMnistPerceptrons() throws Exception {
        String[] result = run("perceptron", "--data", "bundled", "--epochs", "2", "--runs", "4", "--xor-epochs",
                "1500", "--output", directory.toString());
        assertEquals("0", result[0], result[2] + result[1]);
        String out = result[1];
        assertTrue(out.contains("XOR, one perceptron with a bias (the decks' rule): did not converge within 100 epochs"),
                out);
        assertTrue(out.contains("threshold network (h1 = x1 OR x2, h2 = x1 AND x2, y = h1 AND NOT h2): solves XOR"),
                out);
        assertTrue(Pattern.compile("sigmoid hidden units: [1-4] of 4 solve XOR").matcher(out).find(), out);
        assertTrue(Files.size(directory.resolve(PerceptronCommand.BOUNDARY_CHART)) > 1000);
        Matcher test = Pattern.compile("test accuracy ([0-9.]+)% \\(1000 test images\\)").matcher(out);
        assertTrue(test.find(), out);
        // Ten classes: chance is 10%; two passes of the rule over 5,000 images reach about 70%.
        assertTrue(Double.parseDouble(test.group(1)) > 50, out);
    }

    @Test
    void helpAndBadOptions() {
        String[] help = run("perceptron", "--help");
        assertEquals("0", help[0]);
        assertTrue(help[1].startsWith("usage: lanes perceptron"));
        String[] bad = run("perceptron", "--epochs", "0");
        assertEquals("2", bad[0]);
        assertTrue(bad[2].contains("--epochs"), bad[2]);
        assertTrue(run("--help")[1].contains("perceptron"), "lanes --help lists the command");
    }
}
