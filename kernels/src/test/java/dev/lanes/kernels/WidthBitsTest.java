package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import jdk.incubator.vector.VectorShape;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The width contract: every kernel gives the same bits at 128, 256 and 512-bit vectors, so a
 * training gives the same checkpoint on every machine. The width is fixed when the Panama
 * classes initialise, so each width runs in a class loader of its own that loads the kernel
 * classes afresh ({@link WidthDigests} inside it) while {@code lanes.vector.bits} names it.
 * Widths wider than this machine's vectors cannot run and are named in the output. Tagged
 * {@code widths}: it needs one JVM only, not one per forced width.
 */
@Tag("panama")
@Tag("widths")
class WidthBitsTest {
    private static final long SEED = 20261207L;

    @Test
    void everyKernelGivesTheSameBitsAtEveryWidth() throws Exception {
        int machine = VectorShape.preferredShape().vectorBitSize();
        Map<Integer, Map<String, String>> byWidth = new LinkedHashMap<>();
        List<Integer> missing = new ArrayList<>();
        for (int bits : new int[] {128, 256, 512}) {
            if (bits > machine) {
                missing.add(bits);
                continue;
            }
            Map<String, String> digests = digestsAt(bits);
            assertEquals(String.valueOf(bits), digests.get("vectorBits"), "the width the kernels ran at");
            byWidth.put(bits, digests);
        }
        System.out.println("width contract: compared " + byWidth.keySet() + " bits"
                + (missing.isEmpty() ? "" : "; not run, wider than this machine's " + machine + "-bit vectors: "
                + missing));
        assertTrue(byWidth.size() >= 2 || machine < 256, "at least two widths compared on a " + machine
                + "-bit machine");
        List<Integer> widths = new ArrayList<>(byWidth.keySet());
        Map<String, String> first = byWidth.get(widths.get(0));
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, String> e : first.entrySet()) {
            if (e.getKey().equals("vectorBits")) {
                continue;
            }
            for (int w : widths) {
                String digest = byWidth.get(w).get(e.getKey());
                if (!e.getValue().equals(digest)) {
                    differing.add(e.getKey() + ": " + widths.get(0) + " vs " + w + " bits");
                    break;
                }
            }
        }
        for (int w : widths) {
            assertEquals(first.keySet(), byWidth.get(w).keySet(), "the same cases at " + w + " bits");
        }
        if (!differing.isEmpty()) {
            fail(differing.size() + " of " + (first.size() - 1) + " cases differ between widths (seed " + SEED
                    + "):\n  " + String.join("\n  ", differing));
        }
        System.out.println("width contract: " + (first.size() - 1) + " cases, identical bits");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> digestsAt(int bits) throws Exception {
        String before = System.getProperty(KernelProvider.VECTOR_BITS_PROPERTY);
        System.setProperty(KernelProvider.VECTOR_BITS_PROPERTY, String.valueOf(bits));
        try (KernelLoader loader = new KernelLoader()) {
            Class<?> runner = loader.loadClass(WidthDigests.class.getName());
            assertTrue(runner != WidthDigests.class, "the runner was loaded afresh");
            LongFunction<Map<String, String>> digests =
                    (LongFunction<Map<String, String>>) runner.getDeclaredConstructor().newInstance();
            return digests.apply(SEED);
        } finally {
            if (before == null) {
                System.clearProperty(KernelProvider.VECTOR_BITS_PROPERTY);
            } else {
                System.setProperty(KernelProvider.VECTOR_BITS_PROPERTY, before);
            }
        }
    }

    /**
     * Loads the classes of package dev.lanes.kernels and below itself (from the kernels' classes
     * and these tests' classes), everything else from the parent.
     */
    private static final class KernelLoader extends URLClassLoader {
        private static final String PREFIX = "dev.lanes.kernels.";

        KernelLoader() {
            super("kernels-at-a-forced-width", new URL[] {location(Gemm.class), location(WidthBitsTest.class)},
                    WidthBitsTest.class.getClassLoader());
        }

        private static URL location(Class<?> c) {
            return c.getProtectionDomain().getCodeSource().getLocation();
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PREFIX)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        @Override
        public void close() {
            try {
                super.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
