package dev.lanes.kernels;

/**
 * The test oracle for pooling, from the definitions: the window's input positions in order, the
 * max by IEEE comparisons (NaN first, then the largest, +0 over -0, the first of equals), the
 * average in double with its count.
 */
final class PoolTesting {
    private PoolTesting() {
    }

    /** The plane indexes h*W + w of window (p, q)'s positions inside the input, in window order. */
    static int[] window(PoolGeometry g, int p, int q) {
        int[] positions = new int[g.kernelHeight() * g.kernelWidth()];
        int count = 0;
        for (int r = 0; r < g.kernelHeight(); r++) {
            for (int s = 0; s < g.kernelWidth(); s++) {
                int h = p * g.strideHeight() - g.padTop() + r * g.dilationHeight();
                int w = q * g.strideWidth() - g.padLeft() + s * g.dilationWidth();
                if (h >= 0 && h < g.inHeight() && w >= 0 && w < g.inWidth()) {
                    positions[count++] = h * g.inWidth() + w;
                }
            }
        }
        return java.util.Arrays.copyOf(positions, count);
    }

    /** Index in the plane of the max of the given positions. */
    static int maxIndex(float[] in, int plane, int[] positions) {
        for (int position : positions) {
            if (Float.isNaN(in[plane + position])) {
                return position;
            }
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int position : positions) {
            max = Math.max(max, in[plane + position]);
        }
        for (int position : positions) {
            if (Float.floatToIntBits(in[plane + position]) == Float.floatToIntBits(max)) {
                return position;
            }
        }
        throw new AssertionError("no position holds the max");
    }

    /** The divisor of window (p, q): its positions inside the padded input, or inside the input. */
    static int count(PoolGeometry g, int p, int q, boolean includePad) {
        int count = 0;
        for (int r = 0; r < g.kernelHeight(); r++) {
            for (int s = 0; s < g.kernelWidth(); s++) {
                int y = p * g.strideHeight() + r * g.dilationHeight();
                int x = q * g.strideWidth() + s * g.dilationWidth();
                boolean padded = y < g.inHeight() + g.padTop() + g.padBottom()
                        && x < g.inWidth() + g.padLeft() + g.padRight();
                boolean inside = y >= g.padTop() && y < g.inHeight() + g.padTop()
                        && x >= g.padLeft() && x < g.inWidth() + g.padLeft();
                count += (includePad ? padded : inside) ? 1 : 0;
            }
        }
        return count;
    }
}
