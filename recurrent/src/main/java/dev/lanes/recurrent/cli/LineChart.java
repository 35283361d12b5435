package dev.lanes.recurrent.cli;

import dev.lanes.training.report.Charts;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A PNG of named curves (x, y) drawn with XChart, for the recurrent programs' reports. */
final class LineChart {
    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final boolean logarithmic;
    private final Map<String, double[][]> series = new LinkedHashMap<>();

    LineChart(String title, String xTitle, String yTitle, boolean logarithmic) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        this.logarithmic = logarithmic;
    }

    /** Adds a curve through the points (x[i], y[i]). */
    LineChart add(String name, double[] x, double[] y) {
        if (x.length != y.length || x.length == 0) {
            throw new IllegalArgumentException("curve " + name + ": " + x.length + " x values and " + y.length
                    + " y values (need the same positive number)");
        }
        series.put(name, new double[][] {x.clone(), y.clone()});
        return this;
    }

    /** Writes the chart to {@code png}, replacing it atomically. */
    void write(Path png) throws IOException {
        if (series.isEmpty()) {
            throw new IllegalStateException(title + ": no curve to draw");
        }
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(logarithmic);
        chart.getStyler().setMarkerSize(0);
        for (Map.Entry<String, double[][]> curve : series.entrySet()) {
            double[] y = curve.getValue()[1];
            if (logarithmic) {
                // A log axis cannot show zero (a gradient that underflowed): draw the smallest float instead.
                y = y.clone();
                for (int i = 0; i < y.length; i++) {
                    y[i] = Math.max(y[i], Float.MIN_NORMAL);
                }
            }
            XYSeries drawn = chart.addSeries(curve.getKey(), curve.getValue()[0], y);
            drawn.setMarker(SeriesMarkers.NONE);
        }
        Charts.writePng(png, BitmapEncoder.getBufferedImage(chart));
    }
}
