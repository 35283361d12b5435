package dev.lanes.gradcheck.reference;

/**
 * The window arithmetic of 2-D pooling, as in PyTorch: window (p, q) covers rows
 * {@code p*strideH - padTop + r*dilationH}, r in [0, kernelH), and columns likewise. The output
 * size is {@code (in + before + after - dilation*(kernel-1) - 1) / stride + 1}, rounded down, or up
 * in ceil mode, where a last window that starts at or past {@code in + before} is dropped.
 */
record PoolWindow(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padTop,
                  int padBottom, int padLeft, int padRight, int dilationHeight, int dilationWidth,
                  boolean ceilMode) {

    static int outputSize(int in, int before, int after, int kernel, int dilation, int stride, boolean ceil) {
        int span = in + before + after - dilation * (kernel - 1) - 1;
        if (span < 0) {
            throw new IllegalArgumentException("the window spans " + (dilation * (kernel - 1) + 1)
                    + " but the padded input is " + (in + before + after));
        }
        int size = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceil && (size - 1) * stride >= in + before) {
            size--;
        }
        return size;
    }

    int outHeight(int h) {
        return outputSize(h, padTop, padBottom, kernelHeight, dilationHeight, strideHeight, ceilMode);
    }

    int outWidth(int w) {
        return outputSize(w, padLeft, padRight, kernelWidth, dilationWidth, strideWidth, ceilMode);
    }

    int row(int p, int r) {
        return p * strideHeight - padTop + r * dilationHeight;
    }

    int column(int q, int s) {
        return q * strideWidth - padLeft + s * dilationWidth;
    }

    String describe() {
        return kernelHeight + "x" + kernelWidth + ", stride " + strideHeight + "x" + strideWidth + ", pad " + padTop
                + "," + padBottom + "," + padLeft + "," + padRight + ", dilation " + dilationHeight + "x"
                + dilationWidth + (ceilMode ? ", ceil" : "");
    }
}
