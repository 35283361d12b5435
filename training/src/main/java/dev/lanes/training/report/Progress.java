package dev.lanes.training.report;

import java.io.PrintStream;
import java.text.DecimalFormat;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar counting images, with images per second and the estimated time left,
 * drawn by me.tongfei:progressbar; or nothing at all ({@link #none()}), for tests and for output
 * that is not a terminal. Close it at the end of the epoch (try-with-resources).
 */
public interface Progress extends AutoCloseable {
    /**
     * Counts {@code images} more images as done.
     *
     * @param images the number of images just finished
     */
    void advance(long images);

    /**
     * Shows a short message beside the bar (for example the running loss).
     *
     * @param text the message
     */
    void message(String text);

    /** Finishes the bar (prints its final state and a line break). */
    @Override
    void close();

    /** {@return a progress indicator that shows nothing} */
    static Progress none() {
        return Silent.INSTANCE;
    }

    /**
     * {@return a bar on standard error, as wide as the terminal, when the JVM runs in an
     * interactive terminal; else nothing (a redrawn line would only clutter a log file)}
     *
     * @param task the task's name, shown before the bar
     * @param totalImages the images of the whole task
     */
    static Progress auto(String task, long totalImages) {
        return isTerminal() ? console(task, totalImages, System.err, 0) : none();
    }

    /** {@return whether the JVM is attached to an interactive terminal} */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    /**
     * {@return a bar printed to {@code out}, 100 characters wide, redrawn at most every 250 ms,
     * showing images done of {@code totalImages}, images per second and the ETA}
     *
     * @param task the task's name, shown before the bar
     * @param totalImages the images of the whole task
     * @param out the stream
     */
    static Progress console(String task, long totalImages, PrintStream out) {
        return console(task, totalImages, out, 100);
    }

    /**
     * {@return a bar printed to {@code out}; {@code width} characters wide, or the terminal's width
     * when it is 0}
     *
     * @param task the task's name, shown before the bar
     * @param totalImages the images of the whole task
     * @param out the stream
     * @param width the width in characters, or 0 for the terminal's
     */
    static Progress console(String task, long totalImages, PrintStream out, int width) {
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(totalImages)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" img", 1)
                .showSpeed(new DecimalFormat("0"))
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setUpdateIntervalMillis(250)
                .setConsumer(width > 0 ? new ConsoleProgressBarConsumer(out, width) : new ConsoleProgressBarConsumer(out))
                .build();
        return new Bar(bar);
    }

    /** The no-op implementation. */
    final class Silent implements Progress {
        private static final Silent INSTANCE = new Silent();

        private Silent() {
        }

        @Override
        public void advance(long images) {
        }

        @Override
        public void message(String text) {
        }

        @Override
        public void close() {
        }
    }

    /** The progress-bar implementation. */
    final class Bar implements Progress {
        private final ProgressBar bar;

        private Bar(ProgressBar bar) {
            this.bar = bar;
        }

        @Override
        public void advance(long images) {
            bar.stepBy(images);
        }

        @Override
        public void message(String text) {
            bar.setExtraMessage(" " + text);
        }

        @Override
        public void close() {
            bar.close();
        }
    }
}
