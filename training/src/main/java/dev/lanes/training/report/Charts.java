package dev.lanes.training.report;

import dev.lanes.training.metrics.ConfusionMatrix;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of a training run: the loss and accuracy curves per epoch, drawn with XChart
 * (https://knowm.org/open-source/xchart/), and the confusion matrix ({@link ConfusionImage}).
 * Drawing needs no display (AWT runs headless when there is none). Each file is replaced
 * atomically.
 */
public final class Charts {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    private Charts() {
    }

    /**
     * Training (and validation, when present) loss per epoch, titled with {@code subject} (the
     * model and the data, e.g. "cnn on Fashion-MNIST") and the last epoch's losses.
     *
     * @param png the PNG file, replaced atomically
     * @param records the epochs' records, in order
     * @param subject what was trained on what, e.g. "cnn on Fashion-MNIST"
     * @throws IOException if the file cannot be written
     */
    public static void lossCurves(Path png, List<EpochRecord> records, String subject) throws IOException {
        write(png, curves(records, "Loss", subject, "loss", false));
    }

    /**
     * Training (and validation, when present) accuracy per epoch, in percent, titled with
     * {@code subject} and the last epoch's accuracies.
     *
     * @param png the PNG file, replaced atomically
     * @param records the epochs' records, in order
     * @param subject what was trained on what, e.g. "cnn on Fashion-MNIST"
     * @throws IOException if the file cannot be written
     */
    public static void accuracyCurves(Path png, List<EpochRecord> records, String subject) throws IOException {
        write(png, curves(records, "Accuracy", subject, "accuracy (%)", true));
    }

    /** "Loss: cnn on Fashion-MNIST; epoch 15: training 0.1234, validation 0.2345". */
    static String curvesTitle(String what, String subject, EpochRecord last, boolean accuracy) {
        String format = accuracy ? "%.2f%%" : "%.4f";
        double scale = accuracy ? 100 : 1;
        double train = scale * (accuracy ? last.trainAccuracy() : last.trainLoss());
        double validation = scale * (accuracy ? last.validationAccuracy() : last.validationLoss());
        String figures = "training " + String.format(Locale.ROOT, format, train)
                + (Double.isNaN(validation) ? "" : ", validation " + String.format(Locale.ROOT, format, validation));
        return what + ": " + subject + "; epoch " + last.epoch() + ": " + figures;
    }

    private static XYChart curves(List<EpochRecord> records, String what, String subject, String yTitle,
                                  boolean accuracy) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("records is empty: no epoch to draw");
        }
        String title = curvesTitle(what, subject, records.get(records.size() - 1), accuracy);
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("epoch").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern(accuracy ? "0.0" : "0.000");
        if (accuracy) {
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        }
        List<Integer> epochs = new ArrayList<>();
        List<Double> train = new ArrayList<>();
        List<Double> validation = new ArrayList<>();
        boolean anyValidation = false;
        for (EpochRecord record : records) {
            epochs.add(record.epoch());
            double scale = accuracy ? 100 : 1;
            train.add(scale * (accuracy ? record.trainAccuracy() : record.trainLoss()));
            double value = accuracy ? record.validationAccuracy() : record.validationLoss();
            validation.add(scale * value);
            anyValidation |= !Double.isNaN(value);
        }
        chart.addSeries("training", epochs, train).setMarker(SeriesMarkers.CIRCLE);
        if (anyValidation) {
            chart.addSeries("validation", epochs, validation).setMarker(SeriesMarkers.DIAMOND);
        }
        return chart;
    }

    /**
     * The confusion matrix in two panels, actual classes down the side and predicted classes
     * along the top: on the left the counts, on the right each row as percentages of its actual
     * class. Both colour a cell by its share of the row, the diagonal in blue and the errors in
     * red, on a square-root scale so that a few percent of a row already shows: a large
     * confusion stands out however well the rest is classified.
     *
     * @param png the PNG file, replaced atomically
     * @param matrix the counts
     * @param classNames one name per class
     * @param title      the heading (say which model, data and figures)
     * @throws IOException if the file cannot be written
     */
    public static void confusionMatrix(Path png, ConfusionMatrix matrix, List<String> classNames, String title)
            throws IOException {
        int classes = matrix.classes();
        if (classNames.size() != classes) {
            throw new IllegalArgumentException("classNames has " + classNames.size() + " entries for " + classes
                    + " classes");
        }
        writePng(png, ConfusionImage.draw(matrix.counts(), classNames, title));
    }

    private static void write(Path png, Chart<?, ?> chart) throws IOException {
        writePng(png, BitmapEncoder.getBufferedImage(chart));
    }

    /**
     * Writes {@code image} to {@code png}, replacing the file atomically.
     *
     * @param png the PNG file, replaced atomically
     * @param image the image
     * @throws IOException if the file cannot be written
     */
    public static void writePng(Path png, BufferedImage image) throws IOException {
        Path absolute = png.toAbsolutePath();
        Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
        try {
            if (!ImageIO.write(image, "png", temporary.toFile())) {
                throw new IOException("no PNG writer in this JDK's ImageIO");
            }
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
