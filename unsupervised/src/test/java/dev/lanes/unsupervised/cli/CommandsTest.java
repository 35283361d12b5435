package dev.lanes.unsupervised.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.training.cli.Command;
import dev.lanes.training.cli.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The programs run end to end on tiny settings (a few hundred images, small layers, one epoch):
 * they print their tables and write their PNG files. The figures of docs/UNSUPERVISED.md come
 * from the full settings.
 */
class CommandsTest {
    @TempDir
    Path folder;

    private String run(Command command, String... arguments) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        List<String> list = new ArrayList<>(List.of(arguments));
        list.addAll(List.of("--out", folder.toString(), "--threads", "1"));
        assertEquals(0, command.run(list, out, out));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void assertPng(String name) throws Exception {
        byte[] bytes = Files.readAllBytes(folder.resolve(name));
        assertTrue(bytes.length > 100 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', name);
    }

    @Test
    void rbm() throws Exception {
        String text = run(new RbmCommand(), "--train", "300", "--test", "100", "--hidden", "8", "--epochs", "1",
                "--methods", "cd1,pcd", "--ais-runs", "10", "--ais-steps", "100");
        assertTrue(text.contains("| independent pixels | exact |"), text);
        assertTrue(text.contains("| CD-1 |") && text.contains("| PCD-1 |"), text);
        assertPng("rbm_filters_cd1.png");
        assertPng("rbm_samples_pcd.png");
    }

    @Test
    void complete() throws Exception {
        String text = run(new CompleteCommand(), "--train", "300", "--test", "30", "--hidden", "16", "--code", "4",
                "--epochs", "1", "--ae-epochs", "1");
        assertTrue(text.contains("| RBM (clamped Gibbs) |") && text.contains("| autoencoder |")
                && text.contains("| denoising autoencoder (masking 0.5) |"), text);
        assertPng("complete.png");
    }

    @Test
    void codes() throws Exception {
        String text = run(new CodesCommand(), "--train", "300", "--test", "100", "--layers", "16,8", "--epochs", "1",
                "--ae-epochs", "1");
        assertTrue(text.contains("| PCA (") && text.contains("| deep autoencoder (DBN fine-tuned) |"), text);
        assertPng("codes_autoencoder.png");
        assertPng("codes_pca.png");
    }

    @Test
    void features() throws Exception {
        String text = run(new FeaturesCommand(), "--train", "300", "--test", "100", "--hidden", "16", "--epochs", "1",
                "--linear-epochs", "1", "--labels", "100", "--tune-epochs", "1");
        assertTrue(text.contains("| linear on raw pixels | 300 |") && text.contains("| same network from random "
                + "weights | 100 |"), text);
        assertPng("features.png");
    }

    @Test
    void rbmSpeed() throws Exception {
        String text = run(new RbmSpeedCommand(), "--train", "200", "--hidden", "16", "--rounds", "1");
        assertTrue(text.contains("median: CD-1 epoch"), text);
    }

    @Test
    void badOptionsAreUsageErrors() {
        UsageException e = assertThrows(UsageException.class, () -> new RbmCommand().run(List.of("--methods", "cd3"),
                System.out, System.err));
        assertEquals("lanes rbm: unknown method 'cd3' (choose from [cd1, cd10, pcd])", e.getMessage());
        e = assertThrows(UsageException.class, () -> new CodesCommand().run(List.of("--layers", "a,b"), System.out,
                System.err));
        assertEquals("lanes codes: --layers takes sizes like 256,64, got a,b", e.getMessage());
        e = assertThrows(UsageException.class, () -> new CompleteCommand().run(List.of("--bogus", "1"), System.out,
                System.err));
        assertTrue(e.getMessage().startsWith("lanes complete: unknown option --bogus"), e.getMessage());
        e = assertThrows(UsageException.class, () -> new CompleteCommand().run(List.of("--noise", "1"), System.out,
                System.err));
        assertEquals("lanes complete: option --noise must be a number >= 0.0 and <= 0.99, got '1'", e.getMessage());
    }
}
