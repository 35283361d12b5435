/** Lanes bench: JMH benchmarks and the report program. */
module dev.lanes.bench {
    requires dev.lanes.training;
    requires dev.lanes.gradcheck;
    requires jmh.core;

    provides dev.lanes.training.cli.Command with dev.lanes.bench.BenchCommand;
}
