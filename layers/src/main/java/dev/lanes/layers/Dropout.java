package dev.lanes.layers;

import dev.lanes.layers.internal.Shapes;
import dev.lanes.layers.internal.Workspace;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;

/**
 * Inverted dropout: in training each element is zeroed with probability p and the survivors are
 * scaled by 1/(1−p), so the expected output equals the input and inference needs no rescaling.
 * At inference ({@code training == false}) the layer is the identity and returns its input.
 *
 * <p><b>Deterministic.</b> The mask of the c-th training forward (c = 0, 1, ... counted by the
 * layer, see {@link #calls()}) depends only on the seed, c and the element's row-major index i:
 * element i survives when {@code u(seed, c, i) >= p}, where u is the top 24 bits of a SplitMix64
 * hash (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014) of
 * the stream key {@code mix(seed + (c+1)·γ)} plus {@code (i+1)·γ}, γ = 0x9E3779B97F4A7C15, times
 * 2^-24. Counter-based: no generator state to allocate or copy, and the same bits whatever the
 * batch order of earlier calls. {@link #setCalls} restores the counter when training resumes.
 */
public final class Dropout implements Layer {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private final float p;
    private final float scale;
    private final long seed;
    private final String name;
    private final Workspace mask = new Workspace();
    private final Workspace output = new Workspace();
    private final Workspace gradInput = new Workspace();
    private final Workspace inputCopy = new Workspace();
    private final Workspace gradCopy = new Workspace();
    private long calls;
    private Shape lastShape;
    private boolean lastTraining;

    /**
     * Dropout with drop probability {@code p} and the mask stream {@code seed}.
     *
     * @param p the probability that an element is dropped, in {@code [0, 1)}
     * @param seed the seed of the mask stream: the same seed gives the same masks
     * @throws IllegalArgumentException unless {@code 0 <= p < 1}
     */
    public Dropout(float p, long seed) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.scale = 1f / (1f - p);
        this.seed = seed;
        this.name = "Dropout(p=" + p + ")";
    }

    /** {@return the drop probability} */
    public float p() {
        return p;
    }

    /** {@return the number of training forwards so far: the index of the next mask} */
    public long calls() {
        return calls;
    }

    /**
     * Sets the number of training forwards, so the next mask is mask number {@code calls}.
     *
     * @param calls the number of training forwards already made, {@code >= 0}
     */
    public void setCalls(long calls) {
        if (calls < 0) {
            throw new IllegalArgumentException(name + ": calls must be non-negative, got " + calls);
        }
        this.calls = calls;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        return inputShape;
    }

    // Training: y = x · m with m = 1/(1−p) for kept elements and 0 for dropped ones.
    // Inference: y = x.
    @Override
    public Tensor forward(Tensor input, boolean training) {
        lastShape = input.shape();
        lastTraining = training;
        if (!training) {
            return input;
        }
        Tensor x = inputCopy.contiguous(input);
        Tensor m = mask.get(input.shape());
        mask(m.data(), m.size(), p, seed, calls++);
        Tensor y = output.get(input.shape());
        multiply(y.data(), x.data(), x.offset(), m.data(), y.size());
        return y;
    }

    // Training: dL/dx = dL/dy · m (the same mask). Inference: dL/dx = dL/dy.
    @Override
    public Tensor backward(Tensor gradOutput) {
        if (lastShape == null) {
            throw new IllegalStateException(name + ": backward before forward");
        }
        Shapes.requireEqual(name, "gradOutput", gradOutput.shape(), lastShape);
        if (!lastTraining) {
            return gradOutput;
        }
        Tensor g = gradCopy.contiguous(gradOutput);
        Tensor dx = gradInput.get(lastShape);
        multiply(dx.data(), g.data(), g.offset(), mask.get(lastShape).data(), dx.size());
        return dx;
    }

    private static void multiply(float[] out, float[] x, int offset, float[] m, int size) {
        for (int i = 0; i < size; i++) {
            out[i] = x[offset + i] * m[i];
        }
    }

    /**
     * Writes the mask of call {@code call} of a dropout with drop probability p and mask stream
     * {@code seed} (the class comment gives the formula) into {@code m[0, size)}: 1/(1−p) for a
     * kept element, 0 for a dropped one. The layer's own masks come from here, so anything else
     * that drops with the same seed and call drops the same elements.
     *
     * @param m the array the mask is written to
     * @param size the number of mask elements to write, at most {@code m.length}
     * @param p the drop probability, in {@code [0, 1)}
     * @param seed the seed of the mask stream
     * @param call the index of the training forward the mask belongs to (0 for the first)
     * @throws IllegalArgumentException unless {@code 0 <= p < 1} and size fits in m
     */
    public static void mask(float[] m, int size, float p, long seed, long call) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("Dropout.mask: p must be in [0, 1), got " + p);
        }
        if (size < 0 || size > m.length) {
            throw new IllegalArgumentException("Dropout.mask: size " + size + " does not fit a mask of " + m.length);
        }
        float scale = 1f / (1f - p);
        long key = mix(seed + (call + 1) * GOLDEN);
        for (int i = 0; i < size; i++) {
            float u = (mix(key + (i + 1) * GOLDEN) >>> 40) * 0x1.0p-24f;
            m[i] = u >= p ? scale : 0f;
        }
    }

    /** The SplitMix64 finaliser (Stafford's variant 13), a bijection on 64-bit values. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
