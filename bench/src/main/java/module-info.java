/** Lanes bench: JMH benchmarks and the report program. */
module dev.lanes.bench {
    requires dev.lanes.kernels;
    requires dev.lanes.training;
    // lanes bench and lanes profile, commands of the lanes program (module training).
    provides dev.lanes.training.cli.Command with dev.lanes.bench.BenchCommand,
            dev.lanes.bench.training.ProfileCommand;
    // lanes profile reads the JVM's per-thread allocation counters.
    requires jdk.management;
    requires jmh.core;
    requires jdk.incubator.vector;
    requires java.logging;
    requires ejml.core;
    requires ejml.fdense;
    requires dev.ludovic.netlib.blas;
}
