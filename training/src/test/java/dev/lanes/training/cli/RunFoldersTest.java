package dev.lanes.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run folders: numbered after the highest one, never reused; a named folder with files needs --overwrite. */
class RunFoldersTest {
    @TempDir
    Path directory;

    @Test
    void numbersFollowTheHighestExistingFolder() throws IOException {
        Path runs = directory.resolve("runs");
        assertEquals(runs.resolve("train-001"), RunFolders.next(runs, "train"));
        assertEquals(runs.resolve("train-002"), RunFolders.next(runs, "train"));
        Files.createDirectory(runs.resolve("train-041"));
        Files.createDirectory(runs.resolve("train-extra"));
        Files.createDirectory(runs.resolve("search-077"));
        Path next = RunFolders.next(runs, "train");
        assertEquals(runs.resolve("train-042"), next);
        assertTrue(Files.isDirectory(next), "the folder is created, claiming its number");
        Files.createDirectory(runs.resolve("train-1000"));
        assertEquals(runs.resolve("train-1001"), RunFolders.next(runs, "train"));
    }

    @Test
    void aNamedFolderIsUsedWhenNewOrEmptyOrWithOverwrite() throws Exception {
        RunFolders.checkWritable("train", directory.resolve("new"), false);
        RunFolders.checkWritable("train", directory, false);
        Files.writeString(directory.resolve("results.txt"), "an earlier run");
        UsageException refused = assertThrows(UsageException.class,
                () -> RunFolders.checkWritable("train", directory, false));
        assertEquals("lanes train: " + directory + " already holds files (an earlier run?); add --overwrite to"
                + " replace them, or leave out --output for a new folder", refused.getMessage());
        RunFolders.checkWritable("train", directory, true);
        UsageException file = assertThrows(UsageException.class,
                () -> RunFolders.checkWritable("train", directory.resolve("results.txt"), true));
        assertEquals("lanes train: --output " + directory.resolve("results.txt") + " is a file, not a folder",
                file.getMessage());
    }

    @Test
    void trainRefusesAFolderWithFilesBeforeReadingAnyData() throws IOException {
        Files.writeString(directory.resolve("results.txt"), "an earlier run");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Lanes.run(new String[] {"train", "--output", directory.toString(), "--data", "/nonexistent"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("add --overwrite"), err.toString());
        assertEquals("an earlier run", Files.readString(directory.resolve("results.txt")));
        err.reset();
        status = Lanes.run(new String[] {"train", "--overwrite=yes"}, new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertEquals("lanes train: option --overwrite takes no value\n", err.toString(StandardCharsets.UTF_8));
    }
}
