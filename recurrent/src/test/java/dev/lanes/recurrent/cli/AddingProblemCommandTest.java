package dev.lanes.recurrent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.recurrent.Lstm;
import dev.lanes.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lanes adding: the sequences, and the program end to end on short sequences with a small budget. */
class AddingProblemCommandTest {
    @TempDir
    Path directory;

    @Test
    void eachSequenceMarksOneStepInEachHalfAndTheTargetIsTheirSum() {
        int n = 200;
        int steps = 9;
        Tensor x = Tensor.zeros(n, steps, 2);
        Tensor y = Tensor.zeros(n, 1);
        new AddingProblemCommand.Sequences(5).fill(x, y);
        float[] data = x.toArray();
        double meanTarget = 0;
        for (int i = 0; i < n; i++) {
            int firstHalf = 0;
            int secondHalf = 0;
            double sum = 0;
            for (int t = 0; t < steps; t++) {
                float value = data[(i * steps + t) * 2];
                float marker = data[(i * steps + t) * 2 + 1];
                assertTrue(value >= 0 && value < 1, "value " + value + " at sequence " + i + " step " + t);
                assertTrue(marker == 0 || marker == 1, "marker " + marker);
                if (marker == 1) {
                    sum += value;
                    if (t < steps / 2) {
                        firstHalf++;
                    } else {
                        secondHalf++;
                    }
                }
            }
            assertEquals(1, firstHalf, "markers in the first half of sequence " + i);
            assertEquals(1, secondHalf, "markers in the second half of sequence " + i);
            assertEquals(sum, y.toArray()[i], 1e-6);
            meanTarget += y.toArray()[i] / n;
        }
        // The sum of two uniform values has mean 1.
        assertEquals(1, meanTarget, 0.1);
    }

    @Test
    void theForgetBiasOpensOnlyTheForgetGate() {
        int hidden = 3;
        Lstm lstm = AddingProblemCommand.forgetBias(new Lstm(2, hidden, 9), 1.5);
        float[] input = lstm.parameters().get(2).value().toArray();
        float[] recurrent = lstm.parameters().get(3).value().toArray();
        float[] untouched = new Lstm(2, hidden, 9).parameters().get(2).value().toArray();
        for (int j = 0; j < 4 * hidden; j++) {
            boolean forget = j >= hidden && j < 2 * hidden;
            assertEquals(forget ? 1.5f : untouched[j], input[j], "bias_ih_l0[" + j + "]");
            if (forget) {
                assertEquals(0f, recurrent[j], "bias_hh_l0[" + j + "]");
            }
        }
    }

    @Test
    void gatedCellsLearnShortSequencesAndTheReportHasTheLines() throws Exception {
        CommandRun run = CommandRun.of("adding", "--lengths", "12", "--cells", "rnn,lstm,gru", "--hidden", "16",
                "--max-steps", "400", "--eval-every", "50", "--validation", "128", "--test", "256",
                "--learning-rate", "0.01", "--output", directory.toString());
        assertEquals(0, run.status(), run.toString());
        // Predicting the mean gives 0.167; gated cells learn most of the sum of 12 steps in 400 steps.
        assertTrue(run.number("\\nlstm +12 +[0-9]+ +[0-9.]+ +([0-9.]+)") < 0.05, run.toString());
        assertTrue(run.number("\\ngru +12 +[0-9]+ +[0-9.]+ +([0-9.]+)") < 0.05, run.toString());
        assertTrue(run.out().contains("curriculum line, LSTM and GRU below 0.01 at every length: "), run.out());
        assertTrue(Files.readString(directory.resolve(AddingProblemCommand.REPORT_FILE)).contains("test MSE"));
        assertTrue(Files.size(directory.resolve(AddingProblemCommand.GRADIENT_CHART)) > 1000);
        assertTrue(Files.size(directory.resolve(AddingProblemCommand.LEARNING_CHART)) > 1000);
    }

    @Test
    void helpAndBadOptions() {
        CommandRun help = CommandRun.of("adding", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("usage: lanes adding"));
        CommandRun badCell = CommandRun.of("adding", "--cells", "lstm,transformer");
        assertEquals(2, badCell.status());
        assertTrue(badCell.err().contains("--cells"), badCell.err());
        CommandRun badLength = CommandRun.of("adding", "--lengths", "50,x");
        assertEquals(2, badLength.status());
        assertTrue(badLength.err().contains("--lengths"), badLength.err());
    }
}
