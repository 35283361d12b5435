package dev.lanes.training.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes named arrays to a file in the safetensors format
 * (https://github.com/huggingface/safetensors): an unsigned 64-bit little-endian header length
 * N, N bytes of JSON header, then the tensors' little-endian bytes back to back. The header maps
 * each name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets into the data
 * part) and may hold a {@code "__metadata__"} map of strings. Like the reference implementation,
 * the header is padded with spaces to a multiple of 8 bytes so that every tensor starts aligned.
 *
 * <p>Tensors are written in the order they were added. The arrays are not copied: they must not
 * change until {@link #write} returns.
 *
 * <pre>{@code
 * new SafetensorsWriter()
 *         .metadata("format", "lanes")
 *         .add("conv1.weight", weights, 32, 1, 3, 3)
 *         .add("step", new long[] {step})
 *         .write(Path.of("model.safetensors"));
 * }</pre>
 */
public final class SafetensorsWriter {
    private record Pending(String name, DType dtype, int[] shape, Object data, int length) {
    }

    /** An empty file: no tensors, no metadata. */
    public SafetensorsWriter() {
    }

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, Pending> tensors = new LinkedHashMap<>();

    /**
     * Adds a {@code "__metadata__"} entry.
     *
     * @param key the entry's key
     * @param value the entry's value
     * @return this writer
     */
    public SafetensorsWriter metadata(String key, String value) {
        if (key == null || value == null) {
            throw new IllegalArgumentException("metadata key and value must not be null");
        }
        metadata.put(key, value);
        return this;
    }

    /**
     * Adds an F32 tensor. {@code shape} must hold {@code data.length} values; an empty shape is a
     * scalar (one value), as in numpy.
     *
     * @param name the tensor's name, unique in the file
     * @param data the values, row-major
     * @param shape the dimensions; their product is {@code data.length}
     * @return this writer
     */
    public SafetensorsWriter add(String name, float[] data, int... shape) {
        return add(name, DType.F32, shape, data, data.length);
    }

    /**
     * Adds an F64 tensor.
     *
     * @param name the tensor's name, unique in the file
     * @param data the values, row-major
     * @param shape the dimensions; their product is {@code data.length}
     * @return this writer
     */
    public SafetensorsWriter add(String name, double[] data, int... shape) {
        return add(name, DType.F64, shape, data, data.length);
    }

    /**
     * Adds an I32 tensor.
     *
     * @param name the tensor's name, unique in the file
     * @param data the values, row-major
     * @param shape the dimensions; their product is {@code data.length}
     * @return this writer
     */
    public SafetensorsWriter add(String name, int[] data, int... shape) {
        return add(name, DType.I32, shape, data, data.length);
    }

    /**
     * Adds an I64 tensor.
     *
     * @param name the tensor's name, unique in the file
     * @param data the values, row-major
     * @param shape the dimensions; their product is {@code data.length}
     * @return this writer
     */
    public SafetensorsWriter add(String name, long[] data, int... shape) {
        return add(name, DType.I64, shape, data, data.length);
    }

    private SafetensorsWriter add(String name, DType dtype, int[] shape, Object data, int length) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a tensor name must not be empty");
        }
        if (name.equals("__metadata__")) {
            throw new IllegalArgumentException("\"__metadata__\" is reserved and cannot name a tensor");
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor name '" + name + "' was already added");
        }
        int[] dims = shape.clone();
        long count = 1;
        for (int dim : dims) {
            if (dim < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                        + " has a negative size");
            }
            count *= dim;
        }
        if (count != length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(dims) + " holds "
                    + count + " values but the array has " + length);
        }
        tensors.put(name, new Pending(name, dtype, dims, data, length));
        return this;
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes. */
    byte[] header() {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append("\"__metadata__\":{");
            boolean first = true;
            for (Map.Entry<String, String> entry : metadata.entrySet()) {
                json.append(first ? "" : ",").append(Json.quote(entry.getKey())).append(':')
                        .append(Json.quote(entry.getValue()));
                first = false;
            }
            json.append('}');
        }
        long offset = 0;
        for (Pending tensor : tensors.values()) {
            long end = offset + (long) tensor.length() * tensor.dtype().size();
            json.append(json.length() > 1 ? "," : "").append(Json.quote(tensor.name()))
                    .append(":{\"dtype\":\"").append(tensor.dtype().name()).append("\",\"shape\":[");
            for (int axis = 0; axis < tensor.shape().length; axis++) {
                json.append(axis == 0 ? "" : ",").append(tensor.shape()[axis]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] utf8 = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (utf8.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(utf8, padded);
        Arrays.fill(header, utf8.length, padded, (byte) ' ');
        return header;
    }

    /**
     * Writes the file atomically: a temporary file in the same directory is written, forced to
     * disk and renamed over {@code file}, then the directory is forced too (where the platform
     * allows it), so a crash leaves either the old file or the complete new one.
     *
     * @param file the file, replaced atomically
     * @throws IOException if the file cannot be written
     */
    public void write(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path directory = absolute.getParent();
        Path temporary = createTemporary(directory, absolute.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                writeTo(channel);
                channel.force(true);
            }
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            forceDirectory(directory);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /**
     * Writes the whole file (length, header, data) to {@code channel}.
     *
     * @param channel the channel
     * @throws IOException if the file cannot be written
     */
    public void writeTo(WritableByteChannel channel) throws IOException {
        byte[] header = header();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(header.length);
        buffer.flip();
        writeFully(channel, buffer);
        writeFully(channel, ByteBuffer.wrap(header));
        for (Pending tensor : tensors.values()) {
            writeData(channel, tensor, buffer);
        }
    }

    private static void writeData(WritableByteChannel channel, Pending tensor, ByteBuffer buffer) throws IOException {
        int elementSize = tensor.dtype().size();
        buffer.clear();
        for (int i = 0; i < tensor.length(); i++) {
            if (buffer.remaining() < elementSize) {
                buffer.flip();
                writeFully(channel, buffer);
                buffer.clear();
            }
            switch (tensor.data()) {
                case float[] values -> buffer.putFloat(values[i]);
                case double[] values -> buffer.putDouble(values[i]);
                case int[] values -> buffer.putInt(values[i]);
                case long[] values -> buffer.putLong(values[i]);
                default -> throw new IllegalStateException("unexpected array type");
            }
        }
        buffer.flip();
        writeFully(channel, buffer);
    }

    private static void writeFully(WritableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** A new empty file beside the target, created with the usual permissions (umask applies). */
    private static Path createTemporary(Path directory, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path candidate = directory.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + ".tmp");
            try {
                Files.newByteChannel(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return candidate;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 9) {
                    throw e;
                }
            }
        }
    }

    /**
     * Forces the directory entry of the renamed file to disk. Linux and macOS allow opening a
     * directory for reading and forcing it; Windows does not, and there the rename alone has to do.
     */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not possible on this platform; the data itself was forced before the rename.
        }
    }

    /** {@return the names added so far, in order} */
    public List<String> names() {
        return new ArrayList<>(tensors.keySet());
    }
}
