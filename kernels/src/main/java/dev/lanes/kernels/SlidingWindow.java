package dev.lanes.kernels;

/**
 * What {@link ConvGeometry} and {@link PoolGeometry} share: the number of positions of a window
 * sliding along one axis.
 */
final class SlidingWindow {
    private SlidingWindow() {
    }

    /**
     * Output positions along one axis: {@code (in + before + after - dilation*(kernel-1) - 1) / stride
     * + 1}, rounded down, or up in ceil mode where, as in PyTorch, a last window that would start in
     * the {@code after} padding is dropped.
     *
     * @param window what slides, for the message ("kernel", "window")
     * @throws IllegalArgumentException when the window spans more than the padded input
     */
    static int outputSize(String window, String axis, int in, int before, int after, int kernel, int dilation,
                          int stride, boolean ceilMode) {
        long padded = (long) in + before + after;
        long extent = (long) dilation * (kernel - 1) + 1;
        if (extent > padded) {
            throw new IllegalArgumentException(window + " " + axis + " " + kernel + " with dilation " + dilation
                    + " spans " + extent + " but the padded input " + axis + " is " + in + " + " + before + " + "
                    + after + " = " + padded + ": the output would be empty");
        }
        long span = padded - extent;
        long size = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceilMode && (size - 1) * stride >= (long) in + before) {
            size--;
        }
        return (int) size;
    }
}
