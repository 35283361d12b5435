/** Lanes tensor. */
module dev.lanes.tensor {
    requires transitive dev.lanes.kernels;

    exports dev.lanes.tensor;
}
