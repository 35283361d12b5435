package dev.lanes.kernels.panama.support;

/**
 * The last, partial vector of a loop when it would reach past the end of an array. A masked
 * access {@code FloatVector.fromArray(F, a, offset, mask)} (or {@code intoArray}) whose vector
 * ends past {@code a.length} takes the Vector API's checked path (checkIndexByLane in JDK 25),
 * whose lane compare C2 does not always scalar-replace: 24 to 48 bytes per call at 128 bits,
 * depending on the order in which things were compiled. The same access with the vector inside
 * the array takes the unchecked intrinsic.
 *
 * <p>So a span is split: {@link #inPlace} is the part a masked loop runs on the arrays themselves
 * (all of it when the last vector stays inside every array, as for every row but the last of a
 * matrix), and the rest, fewer than one vector of elements, runs the same loop on copies in this
 * per-thread scratch, where every vector fits. The loop bodies stay as they are, masks included,
 * so every lane gets the same values as before at every width (masked-off lanes still load 0 and
 * masked reductions still skip them), and the full-vector loops are not touched at all. The
 * unary loops of the activations, PanamaMath (log1p's own zero-padded tail is gone) and
 * PanamaLanewiseMath are {@link Span}s split by {@link #unary}; the activation gradients split
 * in their dispatcher (three arrays); the cheap elementwise spans recurse onto the copies (each
 * with its own arguments: binary, axpy in place, clip with its bounds), reductions load their last vector from a copy, softmax runs its trailing rows
 * on row copies; where the vector code is a plain add, copy or fma chain (bias, fill, pooling
 * windows, the direct convolution's tiles) the elements past the last fitting vector run in
 * scalar instead, which rounds alike.
 *
 * <p>Why not back the last vector off to end at {@code length} (a full, in-range load at
 * length - lanes and a store masked to the lanes not yet written)? It needs no copy, but it moves
 * elements to other lanes: reductions and row sums (softmax) would add in another order and change
 * their results, it still needs this scratch for spans shorter than one vector, and it would
 * change every loop body (and put the transcendental loops' bodies, near C2's node budget, twice
 * into them) instead of a few dispatchers. The copies cost a thread-local lookup and two or three
 * copies of fewer than 16 floats, once per call, and only when the span ends within one vector of
 * an array's end.
 */
public final class PanamaTail {
    private static final int LANES = PanamaSpecies.FLOAT.length();
    /** Slots of {@link #copyIn}'s scratch: two inputs, then the output. */
    public static final int IN0 = 0;
    public static final int IN1 = LANES;
    public static final int OUT = 2 * LANES;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[3 * LANES]);

    private PanamaTail() {
    }

    /**
     * The length of the head of a span of {@code length} elements that a loop may run in place:
     * {@code length} when the vector holding its last element stays inside each array (null arrays
     * are ignored), else the full vectors only.
     */
    public static int inPlace(int length, float[] a, int offA, float[] b, int offB, float[] c, int offC) {
        int full = length - length % LANES;
        if (full == length || fits(a, offA + full) && fits(b, offB + full) && fits(c, offC + full)) {
            return length;
        }
        return full;
    }

    /** Whether the vector at {@code offset} lies inside {@code a} (or a is null). */
    public static boolean fits(float[] a, int offset) {
        return a == null || offset <= a.length - LANES;
    }

    /**
     * The per-thread scratch holding a[offA .. offA+n) at {@link #IN0} and b[offB .. offB+n) at
     * {@link #IN1} (b may be null), n at most one vector. The lanes past n are left as they are:
     * the loops read them only through their masks.
     */
    public static float[] copyIn(int n, float[] a, int offA, float[] b, int offB) {
        float[] scratch = SCRATCH.get();
        if (a != null) {
            System.arraycopy(a, offA, scratch, IN0, n);
        }
        if (b != null) {
            System.arraycopy(b, offB, scratch, IN1, n);
        }
        return scratch;
    }

    /**
     * The per-thread scratch holding a[offset + i] at {@link #IN0} + i for the lanes i in [lo, hi)
     * (0 <= lo <= hi <= one vector): what a masked load at {@code offset} reads, for a vector that
     * starts before a or ends past it.
     */
    public static float[] copyLanes(float[] a, int offset, int lo, int hi) {
        float[] scratch = SCRATCH.get();
        if (hi > lo) { // offset + lo may lie outside a when no lane is read
            System.arraycopy(a, offset + lo, scratch, IN0 + lo, hi - lo);
        }
        return scratch;
    }

    /** The per-thread scratch, for a loop that stores a last vector at {@link #OUT}. */
    public static float[] scratch() {
        return SCRATCH.get();
    }

    /** Copies n results from {@link #OUT} of the scratch to out[offOut ..]. */
    public static void copyOut(float[] scratch, float[] out, int offOut, int n) {
        System.arraycopy(scratch, OUT, out, offOut, n);
    }

    /** A unary loop over a span: out[offOut ..] = f(in[offIn ..]) for length elements. */
    public interface Span {
        void run(float parameter, float[] out, int offOut, float[] in, int offIn, int length);
    }

    /**
     * Runs {@code span} in place up to {@link #inPlace}, the rest (if any) on this scratch. One
     * call site for both parts: two would let C2 inline a transcendental loop twice where the
     * call is monomorphic, past its node budget.
     */
    public static void unary(Span span, float parameter, float[] out, int offOut, float[] in, int offIn, int length) {
        int head = inPlace(length, out, offOut, in, offIn, null, 0);
        float[] tail = head < length ? copyIn(length - head, in, offIn + head, null, 0) : null;
        for (int part = tail == null ? 1 : 0; part < 2; part++) {
            boolean scratch = part == 0; // the tail first, then the head in place
            span.run(parameter, scratch ? tail : out, scratch ? OUT : offOut, scratch ? tail : in,
                    scratch ? IN0 : offIn, scratch ? length - head : head);
        }
        if (tail != null) {
            copyOut(tail, out, offOut + head, length - head);
        }
    }
}
