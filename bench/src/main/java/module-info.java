/** Lanes bench: JMH benchmarks and the report program. */
module dev.lanes.bench {
    requires dev.lanes.training;
    requires dev.lanes.gradcheck;
    requires jmh.core;
    // lanes profile reads the JVM's per-thread allocation counters.
    requires jdk.management;

    provides dev.lanes.training.cli.Command with dev.lanes.bench.BenchCommand,
            dev.lanes.bench.training.ProfileCommand;
}
