package dev.lanes.training.search;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The CSV file of a search's finished trials, one line each, appended and forced to disk as
 * each trial ends, so an interrupted search loses at most the trial that was running. A last
 * line without its newline is the remainder of an interrupted write: it is dropped (and cut from
 * the file before the next append), and that trial runs again.
 *
 * <p>Columns: {@code stage, configuration, repeat, seed}, one per parameter (empty for the
 * default settings' runs), then {@code train_accuracy, validation_accuracy, validation_loss,
 * epochs, seconds}.
 */
public final class TrialLog {
    private static final List<String> FIRST = List.of("stage", "configuration", "repeat", "seed");
    private static final List<String> LAST = List.of("train_accuracy", "validation_accuracy", "validation_loss",
            "epochs", "seconds");

    private final Path file;
    private final SearchSpace space;
    private final String header;

    /**
     * The log in {@code file} of a search over {@code space}.
     *
     * @param file the log file
     * @param space the search space of its trials
     */
    public TrialLog(Path file, SearchSpace space) {
        this.file = file;
        this.space = space;
        List<String> columns = new ArrayList<>(FIRST);
        columns.addAll(space.names());
        columns.addAll(LAST);
        this.header = String.join(",", columns);
    }

    /** {@return the file} */
    public Path file() {
        return file;
    }

    /**
     * {@return the trials in the file (none when it does not exist), after cutting an interrupted
     * last line from it}
     *
     * @throws IOException if the header is not this search's, or a complete line cannot be read
     */
    public List<Trial> read() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        byte[] bytes = Files.readAllBytes(file);
        int complete = bytes.length;
        while (complete > 0 && bytes[complete - 1] != '\n') {
            complete--;
        }
        if (complete < bytes.length) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(complete);
                channel.force(true);
            }
        }
        String[] lines = new String(bytes, 0, complete, StandardCharsets.UTF_8).split("\n");
        if (complete == 0 || lines.length == 0) {
            return List.of();
        }
        if (!lines[0].equals(header)) {
            throw new IOException(file + " was written by another search: its columns are\n  " + lines[0]
                    + "\nbut this search's are\n  " + header + "\n(remove the file or choose another output folder)");
        }
        List<Trial> trials = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            trials.add(parse(lines[i], i + 1));
        }
        return trials;
    }

    private Trial parse(String line, int number) throws IOException {
        String[] fields = line.split(",", -1);
        int parameters = space.parameters().size();
        if (fields.length != FIRST.size() + parameters + LAST.size()) {
            throw new IOException(file + ", line " + number + ": " + fields.length + " fields, expected "
                    + (FIRST.size() + parameters + LAST.size()));
        }
        try {
            int stage = Integer.parseInt(fields[0]);
            List<String> values = stage == 0 ? List.of()
                    : Arrays.asList(fields).subList(FIRST.size(), FIRST.size() + parameters);
            int last = FIRST.size() + parameters;
            return new Trial(stage, Integer.parseInt(fields[1]), Integer.parseInt(fields[2]),
                    Long.parseLong(fields[3]), values, new Trial.Result(Double.parseDouble(fields[last]),
                    Double.parseDouble(fields[last + 1]), Double.parseDouble(fields[last + 2]),
                    Integer.parseInt(fields[last + 3]), Double.parseDouble(fields[last + 4])));
        } catch (NumberFormatException e) {
            throw new IOException(file + ", line " + number + ": " + e.getMessage() + " in '" + line + "'");
        }
    }

    /**
     * Appends {@code trial} as one line (the header first when the file is new) and forces it to disk.
     *
     * @param trial the trial
     * @throws IOException if the file cannot be written
     */
    public void append(Trial trial) throws IOException {
        StringBuilder line = new StringBuilder();
        if (!Files.exists(file) || Files.size(file) == 0) {
            line.append(header).append('\n');
        }
        line.append(trial.stage()).append(',').append(trial.configuration()).append(',').append(trial.repeat())
                .append(',').append(trial.seed());
        for (int p = 0; p < space.parameters().size(); p++) {
            String value = trial.values().isEmpty() ? "" : trial.values().get(p);
            if (value.contains(",") || value.contains("\n")) {
                throw new IllegalArgumentException("the value '" + value + "' cannot go in a CSV field");
            }
            line.append(',').append(value);
        }
        Trial.Result result = trial.result();
        line.append(',').append(result.trainAccuracy()).append(',').append(result.validationAccuracy()).append(',')
                .append(result.validationLoss()).append(',').append(result.epochs()).append(',')
                .append(result.seconds()).append('\n');
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(line.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }
}
