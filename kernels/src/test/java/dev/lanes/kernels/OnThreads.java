package dev.lanes.kernels;

/** Runs a test's body with the kernel pool at a given size, then restores the size it found. */
final class OnThreads {
    private OnThreads() {
    }

    static void run(int threads, Runnable body) {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            body.run();
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
