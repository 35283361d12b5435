package dev.lanes.recurrent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lanes char-lm: the corpus, the frequency baseline, and the program end to end on a small text. */
class CharLmCommandTest {
    @TempDir
    Path directory;

    /** Sentences of a tiny grammar: predictable within words, uncertain between them. */
    private static String text(int sentences, long seed) {
        String[] subjects = {"the cat", "a dog", "my bird"};
        String[] verbs = {"sees", "likes", "finds"};
        String[] objects = {"the mat.", "a ball.", "some food."};
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            text.append(subjects[random.nextInt(3)]).append(' ').append(verbs[random.nextInt(3)]).append(' ')
                    .append(objects[random.nextInt(3)]).append(i % 4 == 3 ? "\n" : " ");
        }
        return text.toString();
    }

    @Test
    void theCorpusMapsCharactersToASortedAlphabet() {
        CharLmCommand.Corpus corpus = CharLmCommand.Corpus.of("test", "banana");
        assertEquals("abn", new String(corpus.alphabet()));
        assertEquals("banana", CharLmCommand.decode(corpus.ids(), corpus.alphabet()));
    }

    @Test
    void theFrequencyBaselineIsTheEntropyOfTheCharacters() {
        // Two characters, equally frequent in training: one bit each (up to the add-one smoothing).
        int[] train = new int[1000];
        for (int i = 0; i < train.length; i++) {
            train[i] = i % 2;
        }
        assertEquals(1.0, CharLmCommand.unigramBits(train, new int[] {0, 1, 1, 0}, 2), 1e-9);
        // A character never seen costs more than the seen ones.
        assertTrue(CharLmCommand.unigramBits(train, new int[] {2}, 3) > 8);
    }

    @Test
    void learnsAGrammarBetterThanItsCharacterFrequencies() throws Exception {
        Path file = directory.resolve("grammar.txt");
        Files.writeString(file, text(900, 3));
        Path output = directory.resolve("out");
        CommandRun run = CommandRun.of("char-lm", "--text", file.toString(), "--hidden", "48", "--embedding", "12",
                "--window", "40", "--batch-size", "16", "--steps", "300", "--eval-every", "100",
                "--learning-rate", "0.01", "--samples", "1", "--sample-length", "80", "--output", output.toString());
        assertEquals(0, run.status(), run.toString());
        double bits = run.number("read in order\\): ([0-9.]+) bits per character");
        double unigram = run.number("from the training part\\): ([0-9.]+) bits per character");
        // The frequencies give about 4 bits; the grammar leaves about 0.3 (three choices per phrase).
        assertTrue(unigram > 3.5, run.toString());
        assertTrue(bits < 1.5, run.toString());
        assertTrue(run.out().contains("sample 1 (temperature 0.7)"), run.out());
        assertTrue(Files.readString(output.resolve(CharLmCommand.REPORT_FILE)).contains("bits per character"));
        assertTrue(Files.size(output.resolve(CharLmCommand.CHART)) > 1000);
    }

    @Test
    void helpAndBadOptions() {
        CommandRun help = CommandRun.of("char-lm", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("usage: lanes char-lm"));
        CommandRun missing = CommandRun.of("char-lm", "--text", directory.resolve("absent").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("--text"), missing.err());
    }
}
