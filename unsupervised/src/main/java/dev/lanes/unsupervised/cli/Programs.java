package dev.lanes.unsupervised.cli;

import dev.lanes.kernels.Parallel;
import dev.lanes.training.cli.Arguments;
import dev.lanes.training.cli.UsageException;
import dev.lanes.training.data.DataSource;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.data.FashionMnist;
import dev.lanes.training.report.Charts;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the unsupervised programs share: the data, the output folder, image grids. */
final class Programs {
    /** Fashion-MNIST's image side. */
    static final int SIDE = 28;
    /** Pixels per image. */
    static final int PIXELS = SIDE * SIDE;

    private Programs() {
    }

    /** The options every program takes (besides its own). */
    static final List<String> COMMON = List.of("data", "out", "train", "test", "seed", "threads");

    /** The help lines of the common options. */
    static String commonHelp(String defaultOut, int defaultTrain, int defaultTest) {
        return String.format(Locale.ROOT, """
                  --data DIR     Fashion-MNIST folder (default %s, else the bundled subset)
                  --out DIR      where the PNG files go (default %s)
                  --train N      training images, the first N (default %d)
                  --test N       test images, the first N (default %d)
                  --seed S       seed of weights, shuffles and chains (default 1)
                  --threads N    kernel threads (default 2)
                """, FashionMnist.SYSTEM_DIRECTORY, defaultOut, defaultTrain, defaultTest);
    }

    /** Images as rows of 784 grey values in [0, 1], their labels and count. */
    record Images(float[] pixels, int[] labels, int count) {
        /** The images thresholded at 0.5: 1 where the grey value is above one half, else 0. */
        float[] binary() {
            float[] binary = new float[pixels.length];
            for (int i = 0; i < pixels.length; i++) {
                binary[i] = pixels[i] > 0.5f ? 1f : 0f;
            }
            return binary;
        }
    }

    /** The training and test images of a run. */
    record Data(Images train, Images test, String description) {
    }

    /** Applies --threads and reads --data, --train and --test. */
    static Data load(Arguments parsed, int defaultTrain, int defaultTest, PrintStream out)
            throws UsageException, IOException {
        Parallel.setThreads(parsed.integer("threads", 2, 1, 1024));
        DataSource source = FashionMnist.resolve(parsed.path("data"));
        Dataset train = source.train();
        Dataset test = source.test();
        int trainCount = Math.min(parsed.integer("train", defaultTrain, 10, 1 << 24), train.count());
        int testCount = Math.min(parsed.integer("test", defaultTest, 10, 1 << 24), test.count());
        String description = source.description() + ": " + trainCount + " training and " + testCount + " test images";
        out.println("# data " + description);
        return new Data(rows(train, trainCount), rows(test, testCount), description);
    }

    private static Images rows(Dataset dataset, int count) {
        if (dataset.imageSize() != PIXELS) {
            throw new IllegalArgumentException("expected 28x28 one-channel images, got " + dataset);
        }
        float[] pixels = new float[count * PIXELS];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            dataset.copyImage(i, pixels, i * PIXELS);
            labels[i] = dataset.label(i);
        }
        return new Images(pixels, labels, count);
    }

    /** The --out folder, created. */
    static Path outputFolder(Arguments parsed, String fallback) throws IOException, UsageException {
        Path folder = parsed.path("out");
        folder = folder == null ? Path.of(fallback) : folder;
        Files.createDirectories(folder);
        return folder;
    }

    /**
     * A PNG of tiles: {@code count} images of {@code side x side} values from {@code images}
     * (row-major, one per row), {@code columns} per line, each scaled to its own minimum and
     * maximum when {@code stretch} (filters), else shown as grey levels in [0, 1].
     */
    static void tiles(Path png, float[] images, int count, int columns, boolean stretch, String title)
            throws IOException {
        int zoom = 2;
        int gap = 2;
        int header = title == null ? 0 : 18;
        int rows = (count + columns - 1) / columns;
        int cell = SIDE * zoom + gap;
        BufferedImage image = new BufferedImage(gap + columns * cell, header + gap + rows * cell,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            if (title != null) {
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                g.setColor(Color.BLACK);
                g.drawString(title, gap, 14);
            }
        } finally {
            g.dispose();
        }
        for (int t = 0; t < count; t++) {
            float low = 0;
            float high = 1;
            if (stretch) {
                low = Float.POSITIVE_INFINITY;
                high = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < PIXELS; i++) {
                    low = Math.min(low, images[t * PIXELS + i]);
                    high = Math.max(high, images[t * PIXELS + i]);
                }
            }
            float range = high > low ? high - low : 1;
            int left = gap + (t % columns) * cell;
            int top = header + gap + (t / columns) * cell;
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    float grey = (images[t * PIXELS + y * SIDE + x] - low) / range;
                    int level = Math.round(255 * Math.clamp(grey, 0f, 1f));
                    int rgb = (level << 16) | (level << 8) | level;
                    for (int dy = 0; dy < zoom; dy++) {
                        for (int dx = 0; dx < zoom; dx++) {
                            image.setRGB(left + x * zoom + dx, top + y * zoom + dy, rgb);
                        }
                    }
                }
            }
        }
        Charts.writePng(png, image);
    }

    /** Row i of a (count, PIXELS) array, a copy. */
    static float[] image(float[] images, int i) {
        float[] copy = new float[PIXELS];
        System.arraycopy(images, i * PIXELS, copy, 0, PIXELS);
        return copy;
    }

    /** Seconds since {@code start} (System.nanoTime()). */
    static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
