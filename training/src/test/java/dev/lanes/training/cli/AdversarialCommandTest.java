package dev.lanes.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lanes adversarial end to end with a small MLP on a sample of the bundled subset. */
class AdversarialCommandTest {
    @TempDir
    Path directory;

    /** The accuracies of a table row: clean, then ε = 2, 4, 8, 16, 32. */
    private static double[] row(String out, String name) {
        Matcher matcher = Pattern.compile(Pattern.quote(name) + " +([0-9.]+)% +([0-9.]+)% +([0-9.]+)% +([0-9.]+)% "
                + "+([0-9.]+)% +([0-9.]+)%").matcher(out);
        assertTrue(matcher.find(), name + " in\n" + out);
        double[] values = new double[6];
        for (int i = 0; i < 6; i++) {
            values[i] = Double.parseDouble(matcher.group(i + 1));
        }
        return values;
    }

    @Test
    void printsTheTableAndDrawsTheExamples() throws Exception {
        String[] result = PerceptronCommandTest.run("adversarial", "--data", "bundled", "--model", "mlp",
                "--substitute", "mlp", "--epochs", "2", "--substitute-epochs", "1", "--train-images", "800",
                "--test-images", "100", "--attack-steps", "2", "--threads", "1", "--progress", "none", "--output",
                directory.toString());
        assertEquals("0", result[0], result[2] + result[1]);
        String out = result[1];
        assertTrue(out.contains("with FGSM on k = 32 of every m = 64 images, lambda 0.3, epsilon 0.000..0.06275 "
                + "truncated normal, predicted labels"), out);
        // The standard model's FGSM row, printed before the adversarial training, is the table's.
        Matcher early = Pattern.compile("under FGSM: clean ([0-9.]+)%, e=2 ([0-9.]+)%, e=4 ([0-9.]+)%, e=8 ([0-9.]+)%, "
                + "e=16 ([0-9.]+)%, e=32 ([0-9.]+)%").matcher(out);
        assertTrue(early.find(), out);
        double[] table = row(out, "standard mlp, FGSM");
        for (int i = 0; i < 6; i++) {
            assertEquals(table[i], Double.parseDouble(early.group(i + 1)), out);
        }
        for (String model : new String[] {"standard mlp", "adversarially trained"}) {
            double[] fgsm = row(out, model + ", FGSM");
            double[] pgd = row(out, model + ", PGD, 2 steps");
            double[] transfer = row(out, model + ", transfer (FGSM on mlp)");
            assertTrue(fgsm[0] > 40, model + " learned little: " + out);
            assertEquals(fgsm[0], pgd[0]);
            assertEquals(fgsm[0], transfer[0]);
            // White-box attacks at 32 grey levels fool a two-epoch MLP on most images.
            assertTrue(fgsm[5] < fgsm[0] - 20 && pgd[5] < fgsm[0] - 20, model + ": " + out);
        }
        assertTrue(out.contains("acceptance: "), out);
        assertTrue(Files.readString(directory.resolve(AdversarialCommand.TABLE_FILE)).contains("standard mlp, FGSM"));
        assertTrue(Files.size(directory.resolve(AdversarialCommand.GRID_CHART)) > 1000);
        for (String model : new String[] {"standard", "adversarial"}) {
            String[] eval = PerceptronCommandTest.run("eval", "--data", "bundled", "--threads", "1", "--checkpoint",
                    directory.resolve(model).resolve("model.safetensors").toString());
            assertEquals("0", eval[0], model + ": " + eval[2]);
        }
    }

    @Test
    void badOptionsNameTheCommand() {
        String[] unknown = PerceptronCommandTest.run("adversarial", "--bogus", "1");
        assertEquals("2", unknown[0]);
        assertTrue(unknown[2].startsWith("lanes adversarial: unknown option --bogus"), unknown[2]);
        String[] k = PerceptronCommandTest.run("adversarial", "--batch-size", "16", "--k", "17");
        assertEquals("2", k[0]);
        assertTrue(k[2].contains("--k must be an integer from 0 to 16"), k[2]);
        assertEquals("0", PerceptronCommandTest.run("adversarial", "--help")[0]);
    }
}
