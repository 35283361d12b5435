package dev.lanes.training.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated contents of a safetensors file, read by {@link Safetensors#read}: metadata and
 * named tensors. The typed getters check the dtype (and the shape, when one is given) and fail
 * with a {@link CheckpointFormatException} naming the file, the tensor, what was expected and what
 * the file holds, so a loader can check every tensor before it changes a model.
 */
public final class Checkpoint {
    private final String source;
    private final Map<String, String> metadata;
    private final Map<String, Safetensors.Entry> entries = new LinkedHashMap<>();
    private final ByteBuffer data;

    Checkpoint(String source, Map<String, String> metadata, List<Safetensors.Entry> entries, ByteBuffer data) {
        this.source = source;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        for (Safetensors.Entry entry : entries) {
            this.entries.put(entry.name(), entry);
        }
        this.data = data.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** {@return the file it was read from} */
    public String source() {
        return source;
    }

    /** {@return the {@code "__metadata__"} map (empty if the file has none)} */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** {@return the tensor names in header order} */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /**
     * {@return whether a tensor named {@code name} exists}
     *
     * @param name the tensor's name
     */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /**
     * {@return the dtype of tensor {@code name}}
     *
     * @param name the tensor's name
     * @throws CheckpointFormatException if the tensor is missing, has another dtype or does not fit
     */
    public DType dtype(String name) throws CheckpointFormatException {
        return entry(name).dtype();
    }

    /**
     * {@return the shape of tensor {@code name} (a copy; empty for a scalar)}
     *
     * @param name the tensor's name
     * @throws CheckpointFormatException if the tensor is missing, has another dtype or does not fit
     */
    public int[] shape(String name) throws CheckpointFormatException {
        return entry(name).shape().clone();
    }

    /**
     * {@return the values of F32 tensor {@code name}}
     *
     * @param name the tensor's name
     * @throws CheckpointFormatException if the tensor is missing, has another dtype or does not fit
     */
    public float[] floats(String name) throws CheckpointFormatException {
        Safetensors.Entry entry = typed(name, DType.F32, null);
        float[] values = new float[count(entry)];
        bytes(entry).asFloatBuffer().get(values);
        return values;
    }

    /**
     * {@return the values of F32 tensor {@code name}, which must have shape {@code expectedShape}}
     *
     * @param name the tensor's name
     * @param expectedShape the shape the tensor must have
     * @throws CheckpointFormatException if the tensor is missing, has another dtype or does not fit
     */
    public float[] floats(String name, int... expectedShape) throws CheckpointFormatException {
        typed(name, DType.F32, expectedShape);
        return floats(name);
    }

    /**
     * {@return the values of F64 tensor {@code name}}
     *
     * @param name the tensor's name
     * @throws CheckpointFormatException if the tensor is missing, has another dtype or does not fit
     */
    public double[] doubles(String name) throws CheckpointFormatException {
        Safetensors.Entry entry = typed(name, DType.F64, null);
        double[] values = new double[count(entry)];
        bytes(entry).asDoubleBuffer().get(values);
        return values;
    }

    /**
     * {@return the values of I32 tensor {@code name}}
     *
     * @param name the tensor's name
     * @throws CheckpointFormatException if the tensor is missing, has another dtype or does not fit
     */
    public int[] ints(String name) throws CheckpointFormatException {
        Safetensors.Entry entry = typed(name, DType.I32, null);
        int[] values = new int[count(entry)];
        bytes(entry).asIntBuffer().get(values);
        return values;
    }

    /**
     * {@return the values of I64 tensor {@code name}}
     *
     * @param name the tensor's name
     * @throws CheckpointFormatException if the tensor is missing, has another dtype or does not fit
     */
    public long[] longs(String name) throws CheckpointFormatException {
        Safetensors.Entry entry = typed(name, DType.I64, null);
        long[] values = new long[count(entry)];
        bytes(entry).asLongBuffer().get(values);
        return values;
    }

    /**
     * {@return the values of I64 tensor {@code name}, which must have shape {@code expectedShape}}
     *
     * @param name the tensor's name
     * @param expectedShape the shape the tensor must have
     * @throws CheckpointFormatException if the tensor is missing, has another dtype or does not fit
     */
    public long[] longs(String name, int... expectedShape) throws CheckpointFormatException {
        typed(name, DType.I64, expectedShape);
        return longs(name);
    }

    /**
     * {@return the raw little-endian bytes of tensor {@code name}, whatever its dtype}
     *
     * @param name the tensor's name
     * @throws CheckpointFormatException if the tensor is missing, has another dtype or does not fit
     */
    public byte[] rawBytes(String name) throws CheckpointFormatException {
        ByteBuffer slice = bytes(entry(name));
        byte[] copy = new byte[slice.remaining()];
        slice.get(copy);
        return copy;
    }

    private Safetensors.Entry entry(String name) throws CheckpointFormatException {
        Safetensors.Entry entry = entries.get(name);
        if (entry == null) {
            throw new CheckpointFormatException(source + ": no tensor named '" + name + "' (the file holds "
                    + entries.keySet() + ")");
        }
        return entry;
    }

    private Safetensors.Entry typed(String name, DType dtype, int[] expectedShape) throws CheckpointFormatException {
        Safetensors.Entry entry = entry(name);
        if (entry.dtype() != dtype) {
            throw new CheckpointFormatException(source + ": tensor '" + name + "' has dtype " + entry.dtype()
                    + ", expected " + dtype);
        }
        if (expectedShape != null && !Arrays.equals(entry.shape(), expectedShape)) {
            throw new CheckpointFormatException(source + ": tensor '" + name + "' has shape "
                    + Arrays.toString(entry.shape()) + ", expected " + Arrays.toString(expectedShape));
        }
        return entry;
    }

    private static int count(Safetensors.Entry entry) {
        return (int) ((entry.end() - entry.begin()) / entry.dtype().size());
    }

    private ByteBuffer bytes(Safetensors.Entry entry) {
        return data.slice((int) entry.begin(), (int) (entry.end() - entry.begin())).order(ByteOrder.LITTLE_ENDIAN);
    }
}
