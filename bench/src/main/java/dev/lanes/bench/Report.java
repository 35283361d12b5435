package dev.lanes.bench;

import dev.lanes.kernels.Gemm;
import dev.lanes.kernels.KernelProvider;
import dev.lanes.kernels.Parallel;

/** The kernel report: what this machine runs and how fast. */
public final class Report {
    private Report() {
    }

    public static void main(String[] args) {
        System.out.println("Lanes on " + Runtime.version() + ": vector bits " + KernelProvider.vectorBits()
                + ", threads " + Parallel.threads() + ", gemm " + Gemm.implementation());
    }
}
