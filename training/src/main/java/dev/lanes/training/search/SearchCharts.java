package dev.lanes.training.search;

import dev.lanes.training.report.Charts;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Scatter plots of a search: the mean validation accuracy of every configuration against each
 * parameter on its sampling scale (the logarithm for the log kinds, the index of a choice), one
 * series per stage, and the default settings' accuracy as a line.
 */
public final class SearchCharts {
    private SearchCharts() {
    }

    /**
     * {@return the PNG file of the plot of {@code parameter}: {@code scatter_NAME.png}}
     *
     * @param parameter the parameter's name
     */
    public static String fileName(Hyperparameter parameter) {
        return "scatter_" + parameter.name().replaceAll("[^A-Za-z0-9_-]", "_") + ".png";
    }

    /**
     * Draws one plot per parameter into {@code directory}.
     *
     * @param directory the folder, which must exist
     * @param result the search's result
     * @throws IOException if a file cannot be written
     */
    public static void write(Path directory, SearchResult result) throws IOException {
        List<Hyperparameter> parameters = result.space().parameters();
        List<SearchResult.Configuration> configurations = result.configurations();
        for (int p = 0; p < parameters.size(); p++) {
            Charts.writePng(directory.resolve(fileName(parameters.get(p))),
                    BitmapEncoder.getBufferedImage(chart(parameters.get(p), p, configurations, result)));
        }
    }

    private static XYChart chart(Hyperparameter parameter, int index, List<SearchResult.Configuration> configurations,
                                 SearchResult result) {
        // Numbers on the parameter's sampling scale: a log axis would show no tick inside a narrow range.
        String axis = switch (parameter) {
            case Hyperparameter.Categorical c -> c.name() + " (" + choices(c) + ")";
            case Hyperparameter.LogUniform l -> "log10 " + l.name();
            case Hyperparameter.IntegerRange i -> i.log() ? "log2 " + i.name() : i.name();
            case Hyperparameter.Uniform u -> u.name();
        };
        XYChart chart = new XYChartBuilder().width(800).height(500).title("Validation accuracy by " + parameter.name())
                .xAxisTitle(axis).yAxisTitle("mean validation accuracy (%)").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setMarkerSize(9);
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (int stage = 1; stage <= result.lastStage(); stage++) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (SearchResult.Configuration configuration : configurations) {
                if (configuration.stage() == stage) {
                    String value = configuration.values().get(index);
                    double position = parameter.position(value);
                    x.add(position);
                    y.add(100 * configuration.validationAccuracy());
                    low = Math.min(low, position);
                    high = Math.max(high, position);
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries(Trial.stageName(stage), x, y).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        SearchResult.Configuration defaults = result.defaults();
        if (defaults != null && low <= high) {
            double accuracy = 100 * defaults.validationAccuracy();
            chart.addSeries("default settings", new double[] {low, high}, new double[] {accuracy, accuracy})
                    .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    private static String choices(Hyperparameter.Categorical parameter) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < parameter.choices().size(); i++) {
            text.append(i == 0 ? "" : ", ").append(i).append(" = ").append(parameter.choices().get(i));
        }
        return text.toString();
    }
}
