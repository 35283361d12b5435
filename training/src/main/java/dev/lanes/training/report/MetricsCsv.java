package dev.lanes.training.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The per-epoch metrics as CSV (RFC 4180, comma separated, one header line). Numbers use
 * {@link Double#toString} (shortest exact round trip, '.' decimal point whatever the locale);
 * missing validation values are empty fields.
 */
public final class MetricsCsv {
    /** The header line. */
    public static final String HEADER =
            "epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,learning_rate,seconds,images_per_second";

    private MetricsCsv() {
    }

    /**
     * {@return the CSV text, header first, one line per record, each ending in '\n'}
     *
     * @param records the epochs' records, in order
     */
    public static String format(List<EpochRecord> records) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (EpochRecord record : records) {
            out.append(record.epoch()).append(',')
                    .append(number(record.trainLoss())).append(',')
                    .append(number(record.trainAccuracy())).append(',')
                    .append(number(record.validationLoss())).append(',')
                    .append(number(record.validationAccuracy())).append(',')
                    .append(number(record.learningRate())).append(',')
                    .append(number(record.seconds())).append(',')
                    .append(number(record.imagesPerSecond())).append('\n');
        }
        return out.toString();
    }

    /**
     * Writes the CSV to {@code file}, replacing it atomically (temporary file, then rename).
     *
     * @param file the CSV file
     * @param records the epochs' records, in order
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, List<EpochRecord> records) throws IOException {
        Path absolute = file.toAbsolutePath();
        // Not Files.createTempFile: its owner-only permissions would stay on the renamed file.
        Path temporary = absolute.resolveSibling("." + absolute.getFileName() + "." + ProcessHandle.current().pid()
                + ".tmp");
        try {
            Files.writeString(temporary, format(records), StandardCharsets.UTF_8);
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }
}
