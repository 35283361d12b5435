package dev.lanes.training.perceptron;

import dev.lanes.layers.Layer;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.report.Charts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A PNG of two-input classifiers side by side: each panel shades the plane [−0.5, 1.5]² by the
 * network's output (blue near 0, orange near 1), draws the decision boundary (output 0.5) in
 * black and marks the four XOR inputs with their labels' colours.
 */
public final class DecisionBoundary {
    /**
     * A network mapping (n, 2) to (n, 1) outputs in [0, 1], and the panel's title.
     *
     * @param title the panel's title
     * @param network the network, mapping (n, 2) to (n, 1) outputs in [0, 1]
     */
    public record Panel(String title, Layer network) {
    }

    private static final int SIZE = 360;
    private static final int MARGIN = 30;
    private static final int TITLE = 40;
    private static final double LOW = -0.5;
    private static final double HIGH = 1.5;
    private static final Color ZERO = new Color(49, 130, 189);
    private static final Color ONE = new Color(253, 141, 60);

    private DecisionBoundary() {
    }

    /**
     * Draws the panels left to right into {@code png}.
     *
     * @param png the PNG file, replaced atomically
     * @param panels the panels, left to right
     * @throws IOException if the file cannot be written
     */
    public static void write(Path png, List<Panel> panels) throws IOException {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("panels is empty: nothing to draw");
        }
        int width = panels.size() * (SIZE + MARGIN) + MARGIN;
        BufferedImage image = new BufferedImage(width, SIZE + TITLE + MARGIN, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            for (int p = 0; p < panels.size(); p++) {
                int left = MARGIN + p * (SIZE + MARGIN);
                shade(image, left, TITLE, panels.get(p).network());
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
                g.drawString(panels.get(p).title(), left, TITLE - 12);
                g.drawRect(left, TITLE, SIZE, SIZE);
                points(g, left, TITLE);
            }
        } finally {
            g.dispose();
        }
        Charts.writePng(png, image);
    }

    /** Fills the panel at (left, top) pixel by pixel; boundary pixels (output crossing 0.5) black. */
    private static void shade(BufferedImage image, int left, int top, Layer network) {
        Tensor grid = Tensor.zeros(SIZE * SIZE, 2);
        for (int row = 0; row < SIZE; row++) {
            for (int column = 0; column < SIZE; column++) {
                grid.set(row * SIZE + column, 0, (float) coordinate(column));
                grid.set(row * SIZE + column, 1, (float) coordinate(SIZE - 1 - row));
            }
        }
        Tensor output = network.forward(grid, false);
        if (output.rank() != 2 || output.dim(0) != SIZE * SIZE || output.dim(1) != 1) {
            throw new IllegalArgumentException("the network maps (n, 2) to " + output.shape() + ", expected (n, 1)");
        }
        for (int row = 0; row < SIZE; row++) {
            for (int column = 0; column < SIZE; column++) {
                float value = output.get(row * SIZE + column, 0);
                boolean above = value > 0.5f;
                boolean edge = column + 1 < SIZE && (output.get(row * SIZE + column + 1, 0) > 0.5f) != above
                        || row + 1 < SIZE && (output.get((row + 1) * SIZE + column, 0) > 0.5f) != above;
                image.setRGB(left + column, top + row, edge ? 0 : blend(value).getRGB());
            }
        }
    }

    private static double coordinate(int pixel) {
        return LOW + (HIGH - LOW) * (pixel + 0.5) / SIZE;
    }

    private static int pixel(double coordinate) {
        return (int) Math.round((coordinate - LOW) / (HIGH - LOW) * SIZE - 0.5);
    }

    /** Pale blue at 0 to pale orange at 1 (outputs outside [0, 1] are clamped). */
    private static Color blend(float value) {
        double t = Math.clamp(value, 0.0, 1.0);
        double pale = 0.55;
        return new Color(mix(ZERO.getRed(), ONE.getRed(), t, pale), mix(ZERO.getGreen(), ONE.getGreen(), t, pale),
                mix(ZERO.getBlue(), ONE.getBlue(), t, pale));
    }

    private static int mix(int from, int to, double t, double pale) {
        double value = from + (to - from) * t;
        return (int) Math.round(value + (255 - value) * pale);
    }

    private static void points(Graphics2D g, int left, int top) {
        Tensor inputs = Xor.inputs();
        int[] labels = Xor.labels();
        int radius = 9;
        g.setStroke(new BasicStroke(2f));
        for (int i = 0; i < labels.length; i++) {
            int x = left + pixel(inputs.get(i, 0));
            int y = top + SIZE - 1 - pixel(inputs.get(i, 1));
            g.setColor(labels[i] == 1 ? ONE : ZERO);
            g.fillOval(x - radius, y - radius, 2 * radius, 2 * radius);
            g.setColor(Color.BLACK);
            g.drawOval(x - radius, y - radius, 2 * radius, 2 * radius);
        }
    }
}
