package dev.lanes.training.adversarial;

import dev.lanes.training.report.Charts;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A PNG grid of one-channel images with a caption under each and a title before each row: the
 * originals, the perturbations and the adversarial images of an attack, with the labels a model
 * gives them.
 */
public final class ExampleGrid {
    /**
     * One row of the grid.
     *
     * @param title    printed left of the row
     * @param images   each (height·width) pixels: in [0, 1] (black to white), or for a signed row
     *                 in [−1, 1] (black to mid-grey to white)
     * @param signed   whether the row shows signed values
     * @param captions one per image
     * @param flagged  one per image: whether to print its caption in red (a wrong prediction)
     */
    public record Row(String title, List<float[]> images, boolean signed, List<String> captions,
                      List<Boolean> flagged) {
    }

    private static final int ZOOM = 3;
    private static final int GAP = 6;
    private static final int CAPTION = 16;
    private static final int TITLE_WIDTH = 240;
    private static final Color WRONG = new Color(200, 0, 0);

    private ExampleGrid() {
    }

    /**
     * Draws the rows of {@code height × width} images into {@code png}.
     *
     * @param png the PNG file, replaced
     * @param height the height of each image, in pixels
     * @param width the width of each image, in pixels
     * @param rows the rows of images, each a list of pixel arrays
     * @throws IOException if the file cannot be written
     */
    public static void write(Path png, int height, int width, List<Row> rows) throws IOException {
        int columns = 0;
        for (Row row : rows) {
            if (row.images().size() != row.captions().size() || row.images().size() != row.flagged().size()) {
                throw new IllegalArgumentException("row '" + row.title() + "' has " + row.images().size()
                        + " images but " + row.captions().size() + " captions and " + row.flagged().size() + " flags");
            }
            for (float[] image : row.images()) {
                if (image.length != height * width) {
                    throw new IllegalArgumentException("row '" + row.title() + "': an image has " + image.length
                            + " pixels, not " + height + " x " + width);
                }
            }
            columns = Math.max(columns, row.images().size());
        }
        int cellWidth = Math.max(width * ZOOM, 96) + GAP;
        int cellHeight = height * ZOOM + CAPTION + GAP;
        BufferedImage image = new BufferedImage(TITLE_WIDTH + columns * cellWidth, GAP + rows.size() * cellHeight,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.setColor(Color.BLACK);
            for (int r = 0; r < rows.size(); r++) {
                Row row = rows.get(r);
                int top = GAP + r * cellHeight;
                g.drawString(row.title(), GAP, top + height * ZOOM / 2);
                for (int c = 0; c < row.images().size(); c++) {
                    int left = TITLE_WIDTH + c * cellWidth;
                    paint(image, left, top, row.images().get(c), height, width, row.signed());
                    g.setColor(row.flagged().get(c) ? WRONG : Color.BLACK);
                    g.drawString(row.captions().get(c), left, top + height * ZOOM + CAPTION - 4);
                    g.setColor(Color.BLACK);
                }
            }
        } finally {
            g.dispose();
        }
        Charts.writePng(png, image);
    }

    private static void paint(BufferedImage image, int left, int top, float[] pixels, int height, int width,
                              boolean signed) {
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float value = pixels[y * width + x];
                float grey = signed ? 0.5f + 0.5f * value : value;
                int level = Math.round(255 * Math.clamp(grey, 0f, 1f));
                int rgb = (level << 16) | (level << 8) | level;
                for (int dy = 0; dy < ZOOM; dy++) {
                    for (int dx = 0; dx < ZOOM; dx++) {
                        image.setRGB(left + x * ZOOM + dx, top + y * ZOOM + dy, rgb);
                    }
                }
            }
        }
    }
}
