package dev.lanes.gradcheck.reference;

/** (N, d1, d2, ...) to (N, d1*d2*...): the values unchanged, the gradient unchanged. */
public final class FlattenReference implements ReferenceLayer {
    private int[] shape;

    /** A flatten layer. */
    public FlattenReference() {
    }

    @Override
    public String name() {
        return "FlattenReference";
    }

    @Override
    public int[] outputShape(int[] s) {
        if (s.length < 1) {
            throw new IllegalArgumentException(name() + " needs a batch dimension");
        }
        int features = 1;
        for (int i = 1; i < s.length; i++) {
            features *= s[i];
        }
        return new int[] {s[0], features};
    }

    @Override
    public double[] forward(double[] x, int[] inputShape, boolean training) {
        outputShape(inputShape);
        shape = inputShape.clone();
        return x.clone();
    }

    @Override
    public double[] backward(double[] g) {
        Reference.requireForward(shape, name());
        return g.clone();
    }
}
