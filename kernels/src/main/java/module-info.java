/**
 * Lanes kernels: flat {@code float[]} kernels with offsets and leading dimensions.
 *
 * <p>The vector module is optional at run time ({@code requires static}): without
 * {@code --add-modules jdk.incubator.vector} every op falls back to its scalar implementation.
 * Only {@code dev.lanes.kernels} is public API; the implementations are exported only to the
 * modules that use them.
 */
module dev.lanes.kernels {
    requires static jdk.incubator.vector;

    exports dev.lanes.kernels;
    // The benchmarks compare each Panama kernel with its scalar twin.
    exports dev.lanes.kernels.spi to dev.lanes.bench;
    exports dev.lanes.kernels.scalar to dev.lanes.bench;
    exports dev.lanes.kernels.panama to dev.lanes.bench;
    exports dev.lanes.kernels.panama.support to dev.lanes.bench;
    // The benchmarks time each convolution plan; gradcheck's tests check which plan a geometry takes.
    exports dev.lanes.kernels.panama.conv to dev.lanes.bench, dev.lanes.gradcheck;
}
