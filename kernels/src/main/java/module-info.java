/**
 * Lanes kernels: flat {@code float[]} kernels with offsets and leading dimensions.
 *
 * <p>The vector module is optional at run time ({@code requires static}): without
 * {@code --add-modules jdk.incubator.vector} every op falls back to its scalar implementation.
 */
module dev.lanes.kernels {
    requires static jdk.incubator.vector;

    exports dev.lanes.kernels;
    exports dev.lanes.kernels.internal to dev.lanes.bench, dev.lanes.gradcheck;
}
