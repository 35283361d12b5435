/** Lanes bench: JMH benchmarks and the report program. */
module dev.lanes.bench {
    requires dev.lanes.kernels;
    requires dev.lanes.training;
    requires dev.lanes.gradcheck;
    requires jmh.core;
    requires jdk.incubator.vector;
    requires java.logging;
    requires ejml.core;
    requires ejml.fdense;
    requires dev.ludovic.netlib.blas;
}
