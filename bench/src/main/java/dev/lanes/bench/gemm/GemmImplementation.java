package dev.lanes.bench.gemm;

import dev.lanes.kernels.Gemm;
import dev.lanes.kernels.spi.GemmKernel;
import dev.lanes.kernels.scalar.ScalarGemm;
import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * The GEMMs the benchmarks compare: Lanes' three implementations and the two JVM peers. Each
 * computes C = A * B on {@link GemmOperands} (row-major).
 */
public enum GemmImplementation {
    /** The scalar reference, three loops. */
    NAIVE("naive") {
        private final GemmKernel kernel = new ScalarGemm();

        @Override
        public Runnable bind(GemmOperands x) {
            GemmShape s = x.shape;
            return () -> kernel.sgemm(false, false, s.m(), s.n(), s.k(), 1f, x.a, 0, s.k(), x.b, 0, s.n(), 0f,
                    x.c, 0, s.n());
        }
    },
    /** The blocked scalar twin of PanamaGemm. */
    SCALAR_BLOCKED("scalar-blocked") {
        private final GemmKernel kernel = new ScalarBlockedGemm();

        @Override
        public Runnable bind(GemmOperands x) {
            GemmShape s = x.shape;
            return () -> kernel.sgemm(false, false, s.m(), s.n(), s.k(), 1f, x.a, 0, s.k(), x.b, 0, s.n(), 0f,
                    x.c, 0, s.n());
        }
    },
    /** Lanes' public facade (PanamaGemm when the vector module is present). */
    PANAMA("panama") {
        @Override
        public Runnable bind(GemmOperands x) {
            GemmShape s = x.shape;
            return () -> Gemm.sgemm(false, false, s.m(), s.n(), s.k(), 1f, x.a, 0, s.k(), x.b, 0, s.n(), 0f,
                    x.c, 0, s.n());
        }
    },
    /** EJML's dense row-major float matrices (CommonOps_FDRM.mult), single-threaded. */
    EJML("ejml") {
        @Override
        public Runnable bind(GemmOperands x) {
            GemmShape s = x.shape;
            FMatrixRMaj a = FMatrixRMaj.wrap(s.m(), s.k(), x.a);
            FMatrixRMaj b = FMatrixRMaj.wrap(s.k(), s.n(), x.b);
            FMatrixRMaj c = FMatrixRMaj.wrap(s.m(), s.n(), x.c);
            return () -> CommonOps_FDRM.mult(a, b, c);
        }
    },
    /**
     * netlib's pure-Java BLAS ({@code JavaBLAS.getInstance()}, its Vector-API implementation
     * {@code VectorBLAS} when the incubator module is present; see {@link #netlibClass()}).
     * Column-major: row-major C = A B is column-major C^T = B^T A^T, so the operands swap.
     */
    NETLIB("netlib") {
        @Override
        public Runnable bind(GemmOperands x) {
            GemmShape s = x.shape;
            netlibClass();
            BLAS blas = JavaBLAS.getInstance();
            return () -> blas.sgemm("N", "N", s.n(), s.m(), s.k(), 1f, x.b, s.n(), x.a, s.k(), 0f, x.c, s.n());
        }
    };

    private final String key;

    GemmImplementation(String key) {
        this.key = key;
    }

    /** The name used in JMH parameters and the report. */
    public String key() {
        return key;
    }

    /** An operation computing C = A * B on these operands. */
    public abstract Runnable bind(GemmOperands operands);

    /**
     * netlib logs a warning at its first use when its native (JNI) BLAS is missing, which is the
     * normal case here: only its Java implementations are measured. Held so the level sticks.
     */
    private static final java.util.logging.Logger NETLIB_LOG = quietNetlib();

    private static java.util.logging.Logger quietNetlib() {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");
        log.setLevel(java.util.logging.Level.SEVERE);
        return log;
    }

    /** The class netlib's pure-Java entry point resolved to (VectorBLAS is the one wanted). */
    public static String netlibClass() {
        return NETLIB_LOG == null ? "" : JavaBLAS.getInstance().getClass().getName();
    }

    /** Parses a key. */
    public static GemmImplementation of(String key) {
        for (GemmImplementation implementation : values()) {
            if (implementation.key.equals(key)) {
                return implementation;
            }
        }
        throw new IllegalArgumentException("unknown GEMM implementation '" + key + "'");
    }
}
