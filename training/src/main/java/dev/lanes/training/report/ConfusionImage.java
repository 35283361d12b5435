package dev.lanes.training.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Draws a confusion matrix as two panels, counts and row percentages, coloured by each cell's
 * share of its row (see {@link Charts#confusionMatrix}). Java2D only: a heat map coloured by the
 * counts themselves (a linear scale up to the largest diagonal cell) left a confusion of a tenth
 * of a class almost white.
 */
final class ConfusionImage {
    /** Pixels per cell side. */
    static final int CELL = 58;
    private static final int MARGIN = 24;
    private static final int GAP = 60;
    private static final int TITLE_HEIGHT = 70;
    private static final int AXIS_HEIGHT = 110;
    private static final Color DIAGONAL = new Color(33, 102, 172);
    private static final Color ERROR = new Color(203, 24, 29);
    private static final Color TEXT = new Color(25, 25, 25);
    /** The share of a row at which an error cell reaches the full red. */
    private static final double ERROR_SATURATION = 0.5;

    private ConfusionImage() {
    }

    /** The image for {@code counts[actual][predicted]}. */
    static BufferedImage draw(long[][] counts, List<String> classNames, String title) {
        int classes = counts.length;
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        int labelWidth = 0;
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D measure = probe.createGraphics();
        FontMetrics labelMetrics = measure.getFontMetrics(labelFont);
        for (String name : classNames) {
            labelWidth = Math.max(labelWidth, labelMetrics.stringWidth(name));
        }
        measure.dispose();
        int side = classes * CELL;
        int panelWidth = labelWidth + 12 + side;
        int width = MARGIN + panelWidth + GAP + panelWidth + MARGIN;
        int height = TITLE_HEIGHT + AXIS_HEIGHT + side + MARGIN + 22;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(TEXT);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, MARGIN, 28);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("rows: actual class; columns: predicted class. Colour: the cell's share of its row,"
                    + " blue on the diagonal, red off it (square-root scale, full red at half a row).", MARGIN, 50);
            long[] rowTotals = new long[classes];
            for (int a = 0; a < classes; a++) {
                for (int p = 0; p < classes; p++) {
                    rowTotals[a] += counts[a][p];
                }
            }
            int left = MARGIN;
            panel(g, counts, rowTotals, classNames, left, labelWidth, false);
            panel(g, counts, rowTotals, classNames, left + panelWidth + GAP, labelWidth, true);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void panel(Graphics2D g, long[][] counts, long[] rowTotals, List<String> names, int left,
                              int labelWidth, boolean percent) {
        int classes = counts.length;
        int gridLeft = left + labelWidth + 12;
        int gridTop = TITLE_HEIGHT + AXIS_HEIGHT;
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(percent ? "% of the actual class (rows sum to 100)" : "counts", gridLeft, TITLE_HEIGHT + 8);
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        g.setFont(labelFont);
        FontMetrics metrics = g.getFontMetrics();
        for (int k = 0; k < classes; k++) {
            String name = names.get(k);
            g.drawString(name, left + labelWidth - metrics.stringWidth(name), gridTop + k * CELL + CELL / 2 + 5);
            // Predicted class names, rotated, above their columns.
            Graphics2D rotated = (Graphics2D) g.create();
            rotated.translate(gridLeft + k * CELL + CELL / 2 + 5, gridTop - 8);
            rotated.rotate(-Math.PI / 2);
            rotated.drawString(name, 0, 0);
            rotated.dispose();
        }
        Font valueFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        g.setFont(valueFont);
        metrics = g.getFontMetrics();
        for (int a = 0; a < classes; a++) {
            for (int p = 0; p < classes; p++) {
                double share = rowTotals[a] == 0 ? 0 : counts[a][p] / (double) rowTotals[a];
                Color fill = colour(share, a == p);
                int x = gridLeft + p * CELL;
                int y = gridTop + a * CELL;
                g.setColor(fill);
                g.fillRect(x, y, CELL, CELL);
                String text = percent ? String.format(Locale.ROOT, "%.1f", 100 * share)
                        : Long.toString(counts[a][p]);
                g.setColor(luminance(fill) < 0.5 ? Color.WHITE : TEXT);
                g.drawString(text, x + (CELL - metrics.stringWidth(text)) / 2, y + CELL / 2 + 5);
            }
        }
        g.setColor(new Color(200, 200, 200));
        g.setStroke(new BasicStroke(1));
        for (int k = 0; k <= classes; k++) {
            g.drawLine(gridLeft, gridTop + k * CELL, gridLeft + classes * CELL, gridTop + k * CELL);
            g.drawLine(gridLeft + k * CELL, gridTop, gridLeft + k * CELL, gridTop + classes * CELL);
        }
    }

    /**
     * White for a share of 0, on a square-root scale up to the full colour: at a share of 1 on
     * the diagonal, at half a row off it (an error that large is as bad as it gets). An error
     * cell with 1% of its row gets a seventh of the colour, one with 10% nearly half.
     */
    static Color colour(double share, boolean diagonal) {
        double saturation = diagonal ? 1 : ERROR_SATURATION;
        double t = Math.sqrt(Math.max(0, Math.min(1, share / saturation)));
        Color full = diagonal ? DIAGONAL : ERROR;
        return new Color(mix(255, full.getRed(), t), mix(255, full.getGreen(), t), mix(255, full.getBlue(), t));
    }

    private static int mix(int from, int to, double t) {
        return (int) Math.round(from + (to - from) * t);
    }

    /** Relative luminance in [0, 1] (sRGB weights, no gamma), to pick the text colour. */
    private static double luminance(Color colour) {
        return (0.2126 * colour.getRed() + 0.7152 * colour.getGreen() + 0.0722 * colour.getBlue()) / 255;
    }
}
