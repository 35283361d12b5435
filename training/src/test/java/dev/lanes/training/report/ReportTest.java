package dev.lanes.training.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.training.metrics.ConfusionMatrix;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private static final List<EpochRecord> RECORDS = List.of(
            new EpochRecord(1, 0.61, 0.78, 0.45, 0.84, 0.01, 12.5, 4800),
            new EpochRecord(2, 0.38, 0.86, 0.36, 0.87, 0.005, 12.25, 4898),
            new EpochRecord(3, 0.31, 0.89, 0.33, 0.881, 0.0025, 12.0, 5000));

    @TempDir
    Path directory;

    @Test
    void csvHasAHeaderAndOneLinePerEpoch() throws IOException {
        Path file = directory.resolve("metrics.csv");
        MetricsCsv.write(file, RECORDS);
        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of(
                "epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,learning_rate,seconds,images_per_second",
                "1,0.61,0.78,0.45,0.84,0.01,12.5,4800.0",
                "2,0.38,0.86,0.36,0.87,0.005,12.25,4898.0",
                "3,0.31,0.89,0.33,0.881,0.0025,12.0,5000.0"), lines);
        String noValidation = MetricsCsv.format(List.of(new EpochRecord(1, 0.5, 0.75, Double.NaN, Double.NaN, 0.1, 1, 2)));
        assertEquals(MetricsCsv.HEADER + "\n1,0.5,0.75,,,0.1,1.0,2.0\n", noValidation);
    }

    /** Reads a PNG back and checks its size and that it is not one flat colour. */
    private static void checkPng(Path file, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(width, image.getWidth(), file.toString());
        assertEquals(height, image.getHeight(), file.toString());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 5, file + " has only " + colours.size() + " colours");
    }

    @Test
    void curvesAndConfusionMatrixArePngFiles() throws IOException {
        Path loss = directory.resolve("loss.png");
        Path accuracy = directory.resolve("accuracy.png");
        Path confusion = directory.resolve("confusion.png");
        Charts.lossCurves(loss, RECORDS, "mlp on pets");
        Charts.accuracyCurves(accuracy, List.of(new EpochRecord(1, 0.5, 0.75, Double.NaN, Double.NaN, 0.1, 1, 2)),
                "mlp on pets");
        ConfusionMatrix matrix = new ConfusionMatrix(3);
        matrix.add(new int[] {0, 0, 1, 2, 2, 2}, new int[] {0, 1, 1, 2, 2, 0}, 6);
        Charts.confusionMatrix(confusion, matrix, List.of("cat", "dog", "emu"), "Test set");
        checkPng(loss, 800, 500);
        checkPng(accuracy, 800, 500);
        // The width follows the class names' width in the font at hand; the height does not.
        BufferedImage image = ImageIO.read(confusion.toFile());
        checkPng(confusion, image.getWidth(), 70 + 110 + 3 * ConfusionImage.CELL + 24 + 22);
        assertTrue(image.getWidth() > 2 * 3 * ConfusionImage.CELL, "two panels: " + image.getWidth());
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(3, files.count(), "temporary files left behind");
        }
    }

    @Test
    void curveTitlesSayWhatWasTrainedAndTheFinalFigures() {
        assertEquals("Loss: cnn on Fashion-MNIST; epoch 3: training 0.3100, validation 0.3300",
                Charts.curvesTitle("Loss", "cnn on Fashion-MNIST", RECORDS.get(2), false));
        assertEquals("Accuracy: cnn on Fashion-MNIST; epoch 3: training 89.00%, validation 88.10%",
                Charts.curvesTitle("Accuracy", "cnn on Fashion-MNIST", RECORDS.get(2), true));
        assertEquals("Accuracy: mlp; epoch 1: training 75.00%", Charts.curvesTitle("Accuracy", "mlp",
                new EpochRecord(1, 0.5, 0.75, Double.NaN, Double.NaN, 0.1, 1, 2), true));
    }

    @Test
    void confusionColoursShowAFewPercentOfARow() {
        assertEquals(java.awt.Color.WHITE, ConfusionImage.colour(0, false));
        assertEquals(java.awt.Color.WHITE, ConfusionImage.colour(0, true));
        // A tenth of a class predicted wrongly (Shirt taken for T-shirt 107 times in 1,000): on a linear
        // scale it was nearly white; here red clearly dominates.
        java.awt.Color tenth = ConfusionImage.colour(0.107, false);
        assertTrue(tenth.getRed() - tenth.getGreen() > 80, tenth.toString());
        java.awt.Color hundredth = ConfusionImage.colour(0.01, false);
        assertTrue(hundredth.getGreen() < 235, "1% of a row is visible: " + hundredth);
        java.awt.Color diagonal = ConfusionImage.colour(0.9, true);
        assertTrue(diagonal.getBlue() > diagonal.getRed() + 80, diagonal.toString());
        // More share, more colour.
        for (int k = 1; k <= 100; k++) {
            assertTrue(ConfusionImage.colour(k / 100.0, false).getGreen()
                    <= ConfusionImage.colour((k - 1) / 100.0, false).getGreen(), "share " + k + "%");
        }
    }

    @Test
    void chartsRejectMissingData() {
        assertEquals("records is empty: no epoch to draw", assertThrows(IllegalArgumentException.class,
                () -> Charts.lossCurves(directory.resolve("x.png"), List.of(), "m")).getMessage());
        assertEquals("classNames has 1 entries for 2 classes", assertThrows(IllegalArgumentException.class,
                () -> Charts.confusionMatrix(directory.resolve("x.png"), new ConfusionMatrix(2), List.of("a"), "t"))
                .getMessage());
    }

    @Test
    void progressBarShowsImagesPerSecondAndCanBeSilent() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Progress progress = Progress.console("epoch 1", 1000, out)) {
            progress.advance(400);
            progress.message("loss 0.52");
            progress.advance(600);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("epoch 1"), text);
        assertTrue(text.contains("1000/1000 img"), text);
        assertTrue(text.contains("img/s"), text);
        assertTrue(text.contains("loss 0.52"), text);
        Progress silent = Progress.none();
        silent.advance(5);
        silent.message("ignored");
        silent.close();
    }
}
