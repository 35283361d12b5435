package dev.lanes.tensor;

import java.util.SplittableRandom;

/** The factories of {@link Tensor} that need more than an allocation. */
final class Factories {
    private Factories() {
    }

    static Tensor arange(double start, double end, double step) {
        if (step == 0 || !Double.isFinite(step) || !Double.isFinite(start) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("arange needs finite start, end and a non-zero step, got start "
                    + start + ", end " + end + ", step " + step);
        }
        double count = Math.max(0, Math.ceil((end - start) / step));
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("arange(" + start + ", " + end + ", " + step + ") has " + count
                    + " elements, more than " + Integer.MAX_VALUE);
        }
        float[] data = new float[(int) count];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (start + i * step);
        }
        return Tensor.contiguousOf(data, Shape.of(data.length));
    }

    static Tensor wrap(float[] data, int offset, Shape shape, int[] strides) {
        if (data == null || strides == null || shape == null) {
            throw new IllegalArgumentException("data, shape and strides must not be null");
        }
        if (strides.length != shape.rank()) {
            throw new IllegalArgumentException("strides " + Shape.format(strides) + " do not match the rank of shape "
                    + shape);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be non-negative, got " + offset);
        }
        long last = offset;
        for (int i = 0; i < strides.length; i++) {
            if (strides[i] < 0) {
                throw new IllegalArgumentException("strides must be non-negative, got " + Shape.format(strides));
            }
            last += (long) (shape.dims[i] - 1) * strides[i];
        }
        if (shape.size() > 0 && last >= data.length) {
            throw new IllegalArgumentException("shape " + shape + " with strides " + Shape.format(strides)
                    + " at offset " + offset + " needs an array of length " + (last + 1) + ", got " + data.length);
        }
        return new Tensor(data, offset, shape, strides.clone());
    }

    static void checkLength(String name, float[] values, Shape shape) {
        if (values == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(name + " has length " + values.length + " but shape " + shape
                    + " has " + shape.size() + " elements");
        }
    }

    static Tensor rand(Shape shape, float low, float high, long seed) {
        if (!(low < high) || !Float.isFinite(high - low)) {
            throw new IllegalArgumentException("rand needs finite low < high, got low " + low + ", high " + high);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[shape.size()];
        for (int i = 0; i < data.length; i++) {
            float value = low + (high - low) * ((random.nextInt() >>> 8) * 0x1.0p-24f);
            data[i] = value < high ? value : Math.nextDown(high); // rounding can reach high
        }
        return Tensor.contiguousOf(data, shape);
    }

    static Tensor randn(Shape shape, float mean, float std, long seed) {
        if (!(std >= 0) || !Float.isFinite(std) || !Float.isFinite(mean)) {
            throw new IllegalArgumentException("randn needs a finite mean and std >= 0, got mean " + mean
                    + ", std " + std);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[shape.size()];
        for (int i = 0; i < data.length; i += 2) {
            double u1 = ((random.nextLong() >>> 11) + 1) * 0x1.0p-53; // (0, 1]: log(u1) is finite
            double u2 = (random.nextLong() >>> 11) * 0x1.0p-53;
            double radius = StrictMath.sqrt(-2 * StrictMath.log(u1));
            double angle = 2 * StrictMath.PI * u2;
            data[i] = (float) (mean + std * radius * StrictMath.cos(angle));
            if (i + 1 < data.length) {
                data[i + 1] = (float) (mean + std * radius * StrictMath.sin(angle));
            }
        }
        return Tensor.contiguousOf(data, shape);
    }
}
