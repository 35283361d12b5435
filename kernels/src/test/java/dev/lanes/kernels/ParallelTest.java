package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
    private int saved;

    @BeforeEach
    void save() {
        saved = Parallel.threads();
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    @Test
    void everyTaskRunsExactlyOnce() {
        for (int threads : new int[] {1, 2, 3, 7}) {
            Parallel.setThreads(threads);
            assertEquals(threads, Parallel.threads());
            for (int count : new int[] {0, 1, 2, 5, 100, 1000}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(count, 1));
                for (int repeat = 0; repeat < 20; repeat++) {
                    Parallel.forEach(count, i -> runs.incrementAndGet(i));
                }
                for (int i = 0; i < count; i++) {
                    assertEquals(20, runs.get(i), "task " + i + " of " + count + " with " + threads + " threads");
                }
            }
        }
    }

    @Test
    void negativeCountRunsNothing() {
        Parallel.forEach(-3, i -> {
            throw new AssertionError("ran task " + i);
        });
    }

    @Test
    void exceptionsPropagateAndTheOtherTasksStillRun() {
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            AtomicIntegerArray runs = new AtomicIntegerArray(50);
            IllegalStateException thrown = new IllegalStateException("task 17 failed");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forEach(50, i -> {
                runs.incrementAndGet(i);
                if (i == 17) {
                    throw thrown;
                }
            }));
            assertSame(thrown, e);
            for (int i = 0; i < 50; i++) {
                assertEquals(1, runs.get(i), "task " + i + " with " + threads + " threads");
            }
            AssertionError error = assertThrows(AssertionError.class, () -> Parallel.forEach(4, i -> {
                if (i == 3) {
                    throw new AssertionError("an error");
                }
            }));
            assertEquals("an error", error.getMessage());
            // the pool still works after a failure
            AtomicIntegerArray after = new AtomicIntegerArray(10);
            Parallel.forEach(10, after::incrementAndGet);
            for (int i = 0; i < 10; i++) {
                assertEquals(1, after.get(i));
            }
        }
    }

    @Test
    void nestedCallsRunAllTheirTasksOnTheCallingThread() {
        Parallel.setThreads(3);
        AtomicIntegerArray runs = new AtomicIntegerArray(8 * 9);
        AtomicReference<String> wrongThread = new AtomicReference<>();
        Parallel.forEach(8, outer -> {
            Thread thread = Thread.currentThread();
            Parallel.forEach(9, inner -> {
                if (Thread.currentThread() != thread) {
                    wrongThread.set("inner task " + inner + " of outer " + outer + " ran on another thread");
                }
                runs.incrementAndGet(outer * 9 + inner);
            });
        });
        assertEquals(null, wrongThread.get());
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(1, runs.get(i), "task " + i);
        }
    }

    @Test
    void concurrentCallersAllComplete() throws InterruptedException {
        Parallel.setThreads(2);
        int callers = 4;
        AtomicIntegerArray runs = new AtomicIntegerArray(callers * 200);
        CountDownLatch done = new CountDownLatch(callers);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < callers; t++) {
            int caller = t;
            Thread thread = new Thread(() -> {
                try {
                    for (int repeat = 0; repeat < 50; repeat++) {
                        Parallel.forEach(200, i -> runs.incrementAndGet(caller * 200 + i));
                    }
                } catch (Throwable e) {
                    failure.set(e);
                } finally {
                    done.countDown();
                }
            });
            thread.start();
        }
        assertTrue(done.await(60, java.util.concurrent.TimeUnit.SECONDS), "callers did not finish");
        assertEquals(null, failure.get());
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(50, runs.get(i), "task " + i);
        }
    }

    @Test
    void setThreadsRejectsLessThanOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertTrue(e.getMessage().contains("threads must be at least 1, got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(-5));
        assertEquals(saved, Parallel.threads());
    }
}
