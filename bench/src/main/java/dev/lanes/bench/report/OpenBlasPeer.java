package dev.lanes.bench.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * OpenBLAS through numpy, measured in the same run: runs the peers' {@code numpy_gemm.py} with
 * OPENBLAS_NUM_THREADS set (and OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed, which slow a
 * current OpenBLAS) and reads its GFLOP/s medians, keyed by {@code MxNxK}.
 */
final class OpenBlasPeer {
    private OpenBlasPeer() {
    }

    /** GFLOP/s by shape key; empty (with a note printed) when the script cannot run. */
    static Map<String, Double> measure(String script, int threads, java.io.PrintStream log) {
        Map<String, Double> figures = new HashMap<>();
        if (script == null) {
            return figures;
        }
        if (!Files.isRegularFile(Path.of(script))) {
            log.println("(OpenBLAS: " + script + " not found; its columns stay empty)");
            return figures;
        }
        ProcessBuilder builder = new ProcessBuilder("python3", script).redirectErrorStream(true);
        builder.environment().remove("OPENBLAS_CORETYPE");
        builder.environment().remove("OPENBLAS_L2_SIZE");
        builder.environment().put("OPENBLAS_NUM_THREADS", String.valueOf(threads));
        try {
            Process process = builder.start();
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    String[] f = line.split("\t");
                    // numpy <threads> <name> M N K median min max err
                    if (f.length >= 7 && f[0].equals("numpy")) {
                        figures.put(f[3] + "x" + f[4] + "x" + f[5], Double.parseDouble(f[6]));
                    }
                }
            }
            process.waitFor();
        } catch (IOException | NumberFormatException e) {
            log.println("(OpenBLAS: could not run " + script + ": " + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return figures;
    }
}
