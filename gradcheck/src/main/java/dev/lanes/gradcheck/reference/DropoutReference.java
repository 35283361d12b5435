package dev.lanes.gradcheck.reference;

/**
 * Inverted dropout with a given mask: in training, y = x / (1 - p) where the mask keeps the
 * element and 0 where it drops it (all zeros for p = 1); in inference, y = x. Backward: the same
 * scaling of g. The mask is set from outside ({@link #mask}), for example read off the float
 * layer's output, so the reference and the layer drop the same elements.
 */
public final class DropoutReference implements ReferenceLayer {
    private final double p;
    private boolean[] keep;
    private boolean training;
    private int size = -1;

    /**
     * Dropout with drop probability p in [0, 1].
     *
     * @param p the drop probability, in [0, 1)
     */
    public DropoutReference(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("p must be in [0, 1], got " + p);
        }
        this.p = p;
    }

    /**
     * Sets which elements the next training forward keeps (true) and drops (false).
     *
     * @param keep for each element, true to keep it, false to drop it
     * @return this layer
     */
    public DropoutReference mask(boolean[] keep) {
        this.keep = keep.clone();
        return this;
    }

    @Override
    public String name() {
        return "DropoutReference(p=" + p + ")";
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }

    private double scale(int i) {
        if (!training) {
            return 1;
        }
        return keep[i] && p < 1 ? 1 / (1 - p) : 0;
    }

    @Override
    public double[] forward(double[] x, int[] inputShape, boolean training) {
        Reference.requireLength("input", x, Reference.size(inputShape));
        if (training && (keep == null || keep.length != x.length)) {
            throw new IllegalStateException(name() + ": set a mask of " + x.length + " elements before a training "
                    + "forward");
        }
        this.training = training;
        this.size = x.length;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * scale(i);
        }
        return y;
    }

    @Override
    public double[] backward(double[] g) {
        if (size < 0) {
            throw new IllegalStateException(name() + ": backward before forward");
        }
        Reference.requireLength("gradOutput", g, size);
        double[] dx = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            dx[i] = g[i] * scale(i);
        }
        return dx;
    }
}
