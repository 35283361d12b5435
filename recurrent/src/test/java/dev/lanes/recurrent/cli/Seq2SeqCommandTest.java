package dev.lanes.recurrent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lanes seq2seq: the strings and batches, and the program end to end on short strings. */
class Seq2SeqCommandTest {
    @TempDir
    Path directory;

    @Test
    void tasksRewriteTheDigits() {
        assertArrayEquals(new int[] {3, 0, 7, 1}, Seq2SeqCommand.Task.REVERSE.rewrite(new int[] {1, 7, 0, 3}));
        assertArrayEquals(new int[] {0, 1, 3, 7}, Seq2SeqCommand.Task.SORT.rewrite(new int[] {1, 7, 0, 3}));
    }

    @Test
    void batchesFramePaddedSequencesAndTrainingNeverSeesAHeldOutString() {
        Seq2SeqCommand.Strings strings = new Seq2SeqCommand.Strings(Seq2SeqCommand.Task.REVERSE, 1, 3, 4);
        Seq2SeqCommand.Batch heldOut = strings.heldOut(300);
        Set<String> kept = new HashSet<>();
        for (int i = 0; i < heldOut.count; i++) {
            assertTrue(kept.add(Arrays.toString(heldOut.sources.get(i))), "held-out strings are distinct");
        }
        Seq2SeqCommand.Batch batch = strings.newBatch(64);
        for (int round = 0; round < 50; round++) {
            strings.fillTraining(batch);
            for (int i = 0; i < batch.count; i++) {
                assertFalse(kept.contains(Arrays.toString(batch.sources.get(i))), "trained on a held-out string");
            }
        }
        // The frame of one string: encoder tokens padded, decoder input GO + target, target + END + padding.
        int i = 0;
        int[] source = batch.sources.get(i);
        int[] target = batch.targets.get(i);
        assertEquals(source.length, batch.lengths[i]);
        float[] enc = batch.encoderTokens.toArray();
        float[] in = batch.decoderInputs.toArray();
        float[] out = batch.decoderTargets.toArray();
        for (int t = 0; t < 3; t++) {
            assertEquals(t < source.length ? source[t] : Seq2SeqCommand.PAD, enc[t]);
        }
        assertEquals(Seq2SeqCommand.GO, in[0]);
        for (int t = 0; t < 4; t++) {
            float expectedIn = t == 0 ? Seq2SeqCommand.GO : t - 1 < target.length ? target[t - 1] : Seq2SeqCommand.PAD;
            float expectedOut = t < target.length ? target[t] : t == target.length ? Seq2SeqCommand.END
                    : Seq2SeqCommand.PAD;
            assertEquals(expectedIn, in[t], "decoder input " + t);
            assertEquals(expectedOut, out[t], "decoder target " + t);
        }
    }

    @Test
    void reversesShortHeldOutStringsAfterABriefTraining() throws Exception {
        CommandRun run = CommandRun.of("seq2seq", "--min-length", "2", "--max-length", "3", "--hidden", "48",
                "--embedding", "16", "--max-steps", "600", "--eval-every", "200", "--learning-rate", "0.01",
                "--validation", "100", "--test", "200", "--output", directory.toString());
        assertEquals(0, run.status(), run.toString());
        double accuracy = run.number("exact-sequence accuracy ([0-9.]+)%\\n");
        // Chance is about 10^-3; 600 steps reverse most strings of 2 and 3 digits never seen in training.
        assertTrue(accuracy > 50, run.toString());
        assertTrue(run.out().contains("curriculum line (>= 99% exact-sequence accuracy on held-out sequences): "),
                run.out());
        assertTrue(Files.readString(directory.resolve(Seq2SeqCommand.REPORT_FILE)).contains(" -> "));
        assertTrue(Files.size(directory.resolve(Seq2SeqCommand.CHART)) > 1000);
    }

    @Test
    void helpAndBadOptions() {
        CommandRun help = CommandRun.of("seq2seq", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("usage: lanes seq2seq"));
        CommandRun lengths = CommandRun.of("seq2seq", "--min-length", "5", "--max-length", "4");
        assertEquals(2, lengths.status());
        assertTrue(lengths.err().contains("--max-length"), lengths.err());
        CommandRun task = CommandRun.of("seq2seq", "--task", "translate");
        assertEquals(2, task.status());
        assertTrue(task.err().contains("--task"), task.err());
    }
}
