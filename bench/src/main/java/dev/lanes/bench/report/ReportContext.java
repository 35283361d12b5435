package dev.lanes.bench.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the report's sections share: the output, the options, and figures measured by earlier
 * sections (the FP32 peak first of all), plus a plain-text table printer.
 */
public final class ReportContext {
    private final PrintStream out;
    private final Map<String, String> options;
    private final Map<String, Double> figures = new HashMap<>();

    public ReportContext(PrintStream out, Map<String, String> options) {
        this.out = out;
        this.options = options;
    }

    public PrintStream out() {
        return out;
    }

    /** The value of {@code --name=value}, or null. */
    public String option(String name) {
        return options.get(name);
    }

    /** Whether {@code --quick} was given: fewer, shorter samples. */
    public boolean quick() {
        return options.containsKey("quick");
    }

    /** Records a figure for later sections (for example "peak.1" in GFLOP/s). */
    public void record(String name, double value) {
        figures.put(name, value);
    }

    /** A figure recorded earlier, or NaN. */
    public double figure(String name) {
        return figures.getOrDefault(name, Double.NaN);
    }

    /** Prints rows as a Markdown table with columns padded to their widest cell. */
    public void table(List<String[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int j = 0; j < columns; j++) {
                width[j] = Math.max(width[j], row[j].length());
            }
        }
        List<String[]> withRule = new ArrayList<>(rows);
        String[] rule = new String[columns];
        for (int j = 0; j < columns; j++) {
            rule[j] = "-".repeat(width[j]);
        }
        withRule.add(1, rule);
        for (String[] row : withRule) {
            StringBuilder line = new StringBuilder("|");
            for (int j = 0; j < columns; j++) {
                String cell = row[j];
                line.append(' ').append(j == 0 ? pad(cell, width[j], false) : pad(cell, width[j], true)).append(" |");
            }
            out.println(line);
        }
        out.flush();
    }

    private static String pad(String s, int width, boolean right) {
        String spaces = " ".repeat(width - s.length());
        return right ? spaces + s : s + spaces;
    }

    /** A number with one decimal, or "-" for NaN. */
    public static String fixed(double x) {
        return Double.isNaN(x) ? "-" : String.format("%.1f", x);
    }

    /** A ratio with two decimals and an "x", or "-". */
    public static String ratio(double x) {
        return Double.isNaN(x) || Double.isInfinite(x) ? "-" : String.format("%.2fx", x);
    }
}
