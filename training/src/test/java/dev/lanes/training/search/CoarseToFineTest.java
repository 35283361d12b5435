package dev.lanes.training.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.training.random.SplitMix64;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search on a synthetic objective: a validation accuracy that peaks at lr = 10^-2.5 and
 * batch size 64, plus seeded noise per run, and 10 "seconds" per run.
 */
class CoarseToFineTest {
    private static final SearchSpace SPACE = SearchSpace.parse("lr=log:1e-5:1; batch-size=choice:16,32,64,128,256");

    @TempDir
    Path directory;

    /** Counts its calls; throws once it has answered {@code failAfter} calls (a simulated interruption). */
    static final class Objective implements CoarseToFine.Objective {
        int calls;
        int failAfter = Integer.MAX_VALUE;

        @Override
        public Trial.Result run(Map<String, String> settings, long seed) {
            if (calls == failAfter) {
                throw new IllegalStateException("interrupted");
            }
            calls++;
            double accuracy = 0.9;
            if (!settings.isEmpty()) {
                double lr = Math.log10(Double.parseDouble(settings.get("lr")));
                double batch = Math.log(Double.parseDouble(settings.get("batch-size"))) / Math.log(2);
                accuracy = 0.95 - 0.02 * Math.pow(lr + 2.5, 2) - 0.01 * Math.pow(batch - 6, 2);
            }
            double noise = 0.002 * (new SplitMix64(seed).nextDouble() - 0.5);
            return new Trial.Result(accuracy + 0.03, accuracy + noise, 1 - accuracy, 2, 10);
        }
    }

    private static CoarseToFine search(int trials, double seconds) {
        return new CoarseToFine(SPACE, 7, 3, 2, trials, seconds, 0.25);
    }

    private SearchResult run(CoarseToFine search, CoarseToFine.Objective objective, String file) throws Exception {
        return search.run(objective, new TrialLog(directory.resolve(file), SPACE),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void stagesFollowTheTrialBudgetAndTheFineStagesImproveOnTheCoarseOne() throws Exception {
        Objective objective = new Objective();
        SearchResult result = run(search(40, 0), objective, "a.csv");
        // 2 default runs, then 20 configurations of 2 runs: 10 coarse, 5 and 5 fine.
        assertEquals(42, objective.calls);
        int[] configurations = new int[4];
        for (SearchResult.Configuration c : result.configurations()) {
            configurations[c.stage()]++;
        }
        assertEquals(List.of(1, 10, 5, 5), List.of(configurations[0], configurations[1], configurations[2],
                configurations[3]));
        double coarse = result.bestOfStage(1).validationAccuracy();
        double fine = Math.max(result.bestOfStage(2).validationAccuracy(), result.bestOfStage(3).validationAccuracy());
        assertTrue(fine > coarse, "coarse best " + coarse + ", fine best " + fine);
        assertTrue(result.best().validationAccuracy() > result.defaults().validationAccuracy());
        // Every fine configuration lies in the coarse stage's best region: lr within its narrowed range.
        for (Trial trial : result.trials()) {
            if (trial.stage() >= 2) {
                double lr = Math.log10(Double.parseDouble(trial.values().get(0)));
                assertTrue(lr > -5 && lr < 0, trial.toString());
            }
        }
    }

    @Test
    void theSameSeedDrawsTheSameSearch() throws Exception {
        SearchResult first = run(search(12, 0), new Objective(), "a.csv");
        SearchResult second = run(search(12, 0), new Objective(), "b.csv");
        assertEquals(first.trials(), second.trials());
        assertEquals(Files.readString(directory.resolve("a.csv")), Files.readString(directory.resolve("b.csv")));
    }

    @Test
    void anInterruptedSearchResumesWithoutLosingOrRepeatingATrial() throws Exception {
        SearchResult whole = run(search(24, 0), new Objective(), "whole.csv");
        Objective interrupted = new Objective();
        interrupted.failAfter = 11;
        assertThrows(IllegalStateException.class, () -> run(search(24, 0), interrupted, "resumed.csv"));
        Path log = directory.resolve("resumed.csv");
        assertEquals(12, Files.readAllLines(log).size(), "header and the 11 finished trials");
        // A crash in the middle of writing the next line leaves part of it.
        Files.writeString(log, "1,4,1,123,0.01", StandardOpenOption.APPEND);
        Objective rest = new Objective();
        SearchResult resumed = run(search(24, 0), rest, "resumed.csv");
        assertEquals(26 - 11, rest.calls, "the resumed search ran only the trials the log lacks");
        assertEquals(whole.trials(), resumed.trials());
        assertEquals(Files.readString(directory.resolve("whole.csv")), Files.readString(log));
        Objective none = new Objective();
        run(search(24, 0), none, "resumed.csv");
        assertEquals(0, none.calls, "a finished search runs nothing again");
    }

    @Test
    void aTimeBudgetGivesTheCoarseStageHalfOfWhatTheDefaultsLeave() throws Exception {
        // 20 s of defaults, then 200 s: the coarse stage starts configurations while under 120 s
        // (5 of 20 s each), each fine stage until 170 and 220 s.
        SearchResult result = run(search(0, 220), new Objective(), "time.csv");
        List<Integer> perStage = new ArrayList<>(List.of(0, 0, 0, 0));
        for (SearchResult.Configuration c : result.configurations()) {
            perStage.set(c.stage(), perStage.get(c.stage()) + 1);
        }
        assertEquals(List.of(1, 5, 3, 2), perStage);
    }

    @Test
    void aLogOfAnotherSearchIsRefused() throws Exception {
        run(search(12, 0), new Objective(), "a.csv");
        CoarseToFine otherSeed = new CoarseToFine(SPACE, 8, 3, 2, 12, 0, 0.25);
        IOException seed = assertThrows(IOException.class, () -> run(otherSeed, new Objective(), "a.csv"));
        assertTrue(seed.getMessage().contains("another seed, space or budget"), seed.getMessage());
        SearchSpace other = SearchSpace.parse("lr=log:1e-5:1");
        IOException columns = assertThrows(IOException.class, () -> new CoarseToFine(other, 7, 3, 2, 12, 0, 0.25)
                .run(new Objective(), new TrialLog(directory.resolve("a.csv"), other), System.out));
        assertTrue(columns.getMessage().contains("was written by another search"), columns.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> search(0, 0)).getMessage()
                .contains("give a budget"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> search(4, 0)).getMessage()
                .contains("fewer configurations than the 3 stages"));
    }
}
