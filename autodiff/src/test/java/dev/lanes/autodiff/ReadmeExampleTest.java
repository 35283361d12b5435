package dev.lanes.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The example of README.md ("Automatic differentiation") is {@link TwoLayerNetwork}, compiled by
 * the build: the README's block must be that file without its package line, and running it must
 * print a loss and the same directional derivative from both modes.
 */
class ReadmeExampleTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path SOURCE = Path.of("src", "test", "java", "dev", "lanes", "autodiff",
            "TwoLayerNetwork.java");

    @Test
    void theReadmeQuotesTheCompiledExample() throws IOException {
        String readme = Files.readString(README);
        Matcher block = Pattern.compile("```java\n(import dev\\.lanes\\.autodiff\\.Autodiff;.*?)```", Pattern.DOTALL)
                .matcher(readme);
        assertTrue(block.find(), "README.md has no java block starting with import dev.lanes.autodiff.Autodiff");
        String source = Files.readString(SOURCE);
        String withoutPackage = source.substring(source.indexOf('\n') + 1).stripLeading();
        assertEquals(withoutPackage, block.group(1), "README.md's autodiff example differs from " + SOURCE);
    }

    @Test
    void bothModesGiveTheSameDirectionalDerivative() {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            TwoLayerNetwork.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        Matcher loss = Pattern.compile("loss (\\S+)").matcher(text);
        Matcher slope = Pattern.compile("directional derivative (\\S+) \\(forward\\), (\\S+) \\(reverse\\)")
                .matcher(text);
        assertTrue(loss.find() && slope.find(), text);
        float value = Float.parseFloat(loss.group(1));
        float forward = Float.parseFloat(slope.group(1));
        float reverse = Float.parseFloat(slope.group(2));
        // three classes: a random network's cross-entropy is near ln 3
        assertTrue(value > 0.5f && value < 3f, text);
        assertTrue(Math.abs(forward) > 1e-3f, text);
        assertEquals(forward, reverse, 1e-4f * Math.abs(forward), text);
    }
}
