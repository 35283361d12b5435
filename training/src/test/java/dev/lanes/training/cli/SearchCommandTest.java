package dev.lanes.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lanes search end to end: a tiny search on a sample of the bundled subset, then the same command resumed. */
class SearchCommandTest {
    @TempDir
    Path directory;

    private String[] search() {
        return PerceptronCommandTest.run("search", "--data", "bundled", "--model", "mlp", "--epochs", "1",
                "--train-images", "400", "--trials", "4", "--stages", "2", "--repeats", "1", "--space",
                "lr=log:1e-4:1e-2; batch-size=choice:32,64", "--threads", "1", "--progress", "none", "--output",
                directory.toString());
    }

    @Test
    void searchesLogsEveryTrialAndResumesWithoutRunningThemAgain() throws Exception {
        String[] first = search();
        assertEquals("0", first[0], first[2] + first[1]);
        String out = first[1];
        assertTrue(out.contains("coarse stage: lr 0.0001..0.01, batch-size 32,64"), out);
        assertTrue(out.contains("  default 0.0: "), out);
        assertTrue(out.contains("bias "), "each trial prints its diagnosis: " + out);
        assertTrue(out.contains("best coarse"), out);
        assertTrue(out.contains("best fine 1"), out);
        List<String> log = Files.readAllLines(directory.resolve(SearchCommand.LOG_FILE));
        assertEquals(1 + 1 + 4, log.size(), "header, the default run and 4 trials: " + log);
        assertTrue(log.get(0).startsWith("stage,configuration,repeat,seed,lr,batch-size,train_accuracy"));
        for (String chart : List.of("scatter_lr.png", "scatter_batch-size.png")) {
            assertTrue(Files.size(directory.resolve(chart)) > 1000, chart);
        }
        String table = Files.readString(directory.resolve(SearchCommand.RESULTS_FILE));

        String[] again = search();
        assertEquals("0", again[0], again[2]);
        assertTrue(again[1].contains("resuming: 5 finished trials"), again[1]);
        assertFalse(again[1].contains("  coarse 0.0 "), "a logged trial ran again: " + again[1]);
        assertEquals(table, Files.readString(directory.resolve(SearchCommand.RESULTS_FILE)));
        assertEquals(log, Files.readAllLines(directory.resolve(SearchCommand.LOG_FILE)));
    }

    @Test
    void badOptionsAreNamed() {
        String[] noBudget = PerceptronCommandTest.run("search", "--data", "bundled");
        assertEquals("2", noBudget[0]);
        assertTrue(noBudget[2].contains("give a budget"), noBudget[2]);
        String[] badName = PerceptronCommandTest.run("search", "--trials", "6", "--space", "learning=log:1e-4:1e-2");
        assertEquals("2", badName[0]);
        assertTrue(badName[2].startsWith("lanes search: unknown option --learning"), badName[2]);
    }
}
