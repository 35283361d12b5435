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
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of a training run, drawn with XChart (https://knowm.org/open-source/xchart/): the
 * loss and accuracy curves per epoch and the confusion matrix. Drawing needs no display (AWT
 * runs headless when there is none). Each file is replaced atomically.
 */
public final class Charts {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    private Charts() {
    }

    /** Training (and validation, when present) loss per epoch. */
    public static void lossCurves(Path png, List<EpochRecord> records) throws IOException {
        write(png, curves(records, "Loss per epoch", "loss", false));
    }

    /** Training (and validation, when present) accuracy per epoch, in percent. */
    public static void accuracyCurves(Path png, List<EpochRecord> records) throws IOException {
        write(png, curves(records, "Accuracy per epoch", "accuracy (%)", true));
    }

    private static XYChart curves(List<EpochRecord> records, String title, String yTitle, boolean accuracy) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("records is empty: no epoch to draw");
        }
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
     * The confusion matrix as a heat map with the count in each cell: actual classes down the
     * side (the first at the top), predicted classes along the bottom.
     *
     * @param classNames one name per class
     */
    public static void confusionMatrix(Path png, ConfusionMatrix matrix, List<String> classNames, String title)
            throws IOException {
        int classes = matrix.classes();
        if (classNames.size() != classes) {
            throw new IllegalArgumentException("classNames has " + classNames.size() + " entries for " + classes
                    + " classes");
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH + 100).height(WIDTH).title(title)
                .xAxisTitle("predicted").yAxisTitle("actual").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(40);
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setHeatMapValueDecimalPattern("0");
        chart.getStyler().setRangeColors(new Color[] {new Color(247, 251, 255), new Color(107, 174, 214),
                new Color(8, 48, 107)});
        chart.getStyler().setValueFontColor(new Color(230, 85, 13));
        List<String> predicted = new ArrayList<>(classNames);
        // The heat map puts its first y category at the bottom; reverse so class 0 is at the top.
        List<String> actual = new ArrayList<>(classNames).reversed();
        List<Number[]> cells = new ArrayList<>();
        long[][] counts = matrix.counts();
        for (int a = 0; a < classes; a++) {
            for (int p = 0; p < classes; p++) {
                cells.add(new Number[] {p, classes - 1 - a, counts[a][p]});
            }
        }
        chart.addSeries("count", predicted, actual, cells);
        write(png, chart);
    }

    private static void write(Path png, Chart<?, ?> chart) throws IOException {
        writePng(png, BitmapEncoder.getBufferedImage(chart));
    }

    /** Writes {@code image} to {@code png}, replacing the file atomically. */
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
