package dev.lanes.spark;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Task probes that inject failures, each leaving a marker file when it struck. */
final class Faults {
    private Faults() {
    }

    /** Throws in the first attempt of one task of one step. */
    record FailFirstAttempt(String marker, long step, int partition) implements TaskProbe {
        @Override
        public void beforeStep(long step, int partition, int attempt) throws IOException {
            if (step == this.step && partition == this.partition && attempt == 0) {
                Files.writeString(Path.of(marker), "attempt " + attempt);
                throw new IllegalStateException("injected failure in step " + step + ", partition " + partition);
            }
        }
    }

    /** Throws in every attempt of every task of one step: the job, and the run, stop there. */
    record FailStep(String marker, long step) implements TaskProbe {
        @Override
        public void beforeStep(long step, int partition, int attempt) throws IOException {
            if (step == this.step) {
                Files.writeString(Path.of(marker), "step " + step);
                throw new IllegalStateException("injected crash in step " + step);
            }
        }
    }

    /** Halts the executor's JVM in one task, once (the marker is made atomically first), then asks {@code next}. */
    record KillExecutor(String marker, long step, int partition, TaskProbe next) implements TaskProbe {
        @Override
        public void beforeStep(long step, int partition, int attempt) throws Exception {
            if (step == this.step && partition == this.partition) {
                try {
                    Files.createFile(Path.of(marker));
                    Runtime.getRuntime().halt(137);
                } catch (FileAlreadyExistsException e) {
                    // killed once already: this is the retry
                }
            }
            if (next != null) {
                next.beforeStep(step, partition, attempt);
            }
        }
    }
}
