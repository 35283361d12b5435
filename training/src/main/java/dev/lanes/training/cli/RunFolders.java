package dev.lanes.training.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a run writes: a new numbered folder by default ({@code runs/train-001}, {@code -002}...),
 * so a second run never replaces the first; a folder the user names is used only when it is new
 * or empty, or when they allow replacing its files.
 */
final class RunFolders {
    private RunFolders() {
    }

    /**
     * Creates and returns {@code parent/prefix-NNN}, NNN one more than the highest number there
     * (001 for the first). Creating the folder is what claims the number, so two runs started
     * together still get different folders.
     */
    static Path next(Path parent, String prefix) throws IOException {
        Files.createDirectories(parent);
        Pattern numbered = Pattern.compile(Pattern.quote(prefix) + "-([0-9]+)");
        int highest = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            for (Path entry : entries) {
                Matcher matcher = numbered.matcher(entry.getFileName().toString());
                if (matcher.matches() && matcher.group(1).length() < 10) {
                    highest = Math.max(highest, Integer.parseInt(matcher.group(1)));
                }
            }
        }
        for (int number = highest + 1; ; number++) {
            Path folder = parent.resolve(String.format(Locale.ROOT, "%s-%03d", prefix, number));
            try {
                return Files.createDirectory(folder);
            } catch (FileAlreadyExistsException e) {
                // another run claimed this number since the listing: take the next
            }
        }
    }

    /**
     * Checks that {@code folder}, named by {@code --output}, may receive a run: it does not exist,
     * or it is an empty folder, or {@code overwrite} allows replacing what is in it.
     *
     * @throws UsageException naming the folder and {@code --overwrite} otherwise
     */
    static void checkWritable(String command, Path folder, boolean overwrite) throws UsageException, IOException {
        if (!Files.exists(folder)) {
            return;
        }
        if (!Files.isDirectory(folder)) {
            throw new UsageException("lanes " + command + ": --output " + folder + " is a file, not a folder");
        }
        if (overwrite) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            if (entries.iterator().hasNext()) {
                throw new UsageException("lanes " + command + ": " + folder + " already holds files (an earlier run?);"
                        + " add --overwrite to replace them, or leave out --output for a new folder");
            }
        }
    }
}
