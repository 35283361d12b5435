/**
 * Lanes kernels: flat {@code float[]} kernels with offsets and leading dimensions.
 *
 * <p>The vector module is optional at run time ({@code requires static}): without
 * {@code --add-modules jdk.incubator.vector} every op falls back to its scalar implementation.
 * Only {@code dev.lanes.kernels} is public API; of the implementations only the convolution plans
 * are exported, to the module that checks them.
 */
module dev.lanes.kernels {
    requires static jdk.incubator.vector;

    exports dev.lanes.kernels;
    // gradcheck's tests check which plan a geometry takes. (The benchmarks, which compare each
    // Panama kernel with its scalar twin, run on the class path and need no exports.)
    exports dev.lanes.kernels.panama.conv to dev.lanes.gradcheck;
}
