package dev.lanes.training.report;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress as plain lines, for output that is not a terminal (a log file, a pipe, a build tool
 * that relays the output): one line each time another quarter of the work is done, with the
 * images done, images per second, the estimated time left and the last message. Nothing is
 * redrawn, so the log stays readable.
 */
public final class LineProgress implements Progress {
    private final String task;
    private final long total;
    private final PrintStream out;
    private final int parts;
    private final long start = System.nanoTime();
    private long done;
    private int printedParts;
    private String message = "";

    /**
     * Lines on {@code out}, {@code parts} of them over the whole task (the last at 100%).
     *
     * @param task the task's name, shown before the bar
     * @param totalImages the images of the whole task
     * @param out the stream
     * @param parts at least 1
     */
    public LineProgress(String task, long totalImages, PrintStream out, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be at least 1, got " + parts);
        }
        this.task = task;
        this.total = Math.max(1, totalImages);
        this.out = out;
        this.parts = parts;
    }

    @Override
    public void advance(long images) {
        done += images;
        int part = (int) Math.min(parts, done * parts / total);
        if (part > printedParts) {
            printedParts = part;
            print();
        }
    }

    private void print() {
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        double eta = rate > 0 ? (total - done) / rate : 0;
        out.println(String.format(Locale.ROOT, "%s %3d%% %d/%d img, %.0f img/s, ETA %s%s", task,
                done * 100 / total, done, total, rate, duration(eta), message.isEmpty() ? "" : ", " + message));
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60) : s + " s";
    }

    @Override
    public void message(String text) {
        message = text;
    }

    @Override
    public void close() {
        out.flush();
    }
}
