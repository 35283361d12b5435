package dev.lanes.training.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads safetensors files (the format {@link SafetensorsWriter} writes) and validates them
 * completely before anything is returned: the header length is sane, the header is well-formed
 * UTF-8 JSON, every entry has a known dtype, a shape of non-negative integers and data offsets
 * whose length equals the shape's size in bytes, and the tensors cover the data part exactly
 * (contiguous from 0, no overlap, no gap, nothing after the last one, nothing past the end of the
 * file). Every problem is a {@link CheckpointFormatException} naming the file and the problem.
 */
public final class Safetensors {
    /** The reference implementation refuses headers above 100 MB; so does this reader. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private Safetensors() {
    }

    /** A header entry after validation. */
    record Entry(String name, DType dtype, int[] shape, long begin, long end) {
    }

    /**
     * Reads and validates {@code file}, then loads all its tensors into memory.
     *
     * @param file the safetensors file
     * @return the checkpoint, all tensors in memory
     * @throws IOException if the file cannot be read
     */
    public static Checkpoint read(Path file) throws IOException {
        String source = file.toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            if (fileSize < 8) {
                throw new CheckpointFormatException(source + ": file is " + fileSize
                        + " bytes long, too short for the 8-byte header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0, source);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
                throw new CheckpointFormatException(source + ": header length " + Long.toUnsignedString(headerLength)
                        + " is not between 2 and " + MAX_HEADER_BYTES + " bytes (not a safetensors file?)");
            }
            if (headerLength > fileSize - 8) {
                throw new CheckpointFormatException(source + ": header length " + headerLength + " exceeds the "
                        + (fileSize - 8) + " bytes after the length field (file truncated?)");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, 8, source);
            long dataSize = fileSize - 8 - headerLength;
            Header header = parseHeader(headerBytes.array(), dataSize, source);
            if (dataSize > Integer.MAX_VALUE - 8) {
                throw new CheckpointFormatException(source + ": the data part holds " + dataSize
                        + " bytes, more than this reader keeps in memory (2 GB)");
            }
            ByteBuffer data = ByteBuffer.allocate((int) dataSize).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, data, 8 + headerLength, source);
            return new Checkpoint(source, header.metadata(), header.entries(), data);
        }
    }

    /** The parsed header: metadata and entries in header order. */
    record Header(Map<String, String> metadata, List<Entry> entries) {
    }

    /**
     * Parses and validates a header against a data part of {@code dataSize} bytes.
     *
     * @throws CheckpointFormatException on any problem, the message starting with {@code source}
     */
    static Header parseHeader(byte[] headerBytes, long dataSize, String source) throws CheckpointFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(headerBytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointFormatException(source + ": header is not valid UTF-8", e);
        }
        if (!text.startsWith("{")) {
            throw new CheckpointFormatException(source + ": header does not start with '{' (not a safetensors file?)");
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.SyntaxException e) {
            throw new CheckpointFormatException(source + ": header is not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new CheckpointFormatException(source + ": header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> item : map.entrySet()) {
            String name = (String) item.getKey();
            if (name.equals("__metadata__")) {
                readMetadata(item.getValue(), metadata, source);
            } else {
                entries.add(entry(name, item.getValue(), source));
            }
        }
        checkLayout(entries, dataSize, source);
        return new Header(metadata, entries);
    }

    private static void readMetadata(Object value, Map<String, String> metadata, String source)
            throws CheckpointFormatException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new CheckpointFormatException(source + ": \"__metadata__\" is not a JSON object");
        }
        for (Map.Entry<?, ?> item : map.entrySet()) {
            if (!(item.getValue() instanceof String text)) {
                throw new CheckpointFormatException(source + ": \"__metadata__\" entry \"" + item.getKey()
                        + "\" is not a string");
            }
            metadata.put((String) item.getKey(), text);
        }
    }

    private static Entry entry(String name, Object value, String source) throws CheckpointFormatException {
        String where = source + ": tensor '" + name + "'";
        if (!(value instanceof Map<?, ?> map)) {
            throw new CheckpointFormatException(where + " is not a JSON object");
        }
        for (Object key : map.keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw new CheckpointFormatException(where + " has an unexpected key \"" + key + "\"");
            }
        }
        if (!(map.get("dtype") instanceof String dtypeName)) {
            throw new CheckpointFormatException(where + " has no \"dtype\" string");
        }
        DType dtype = DType.byName(dtypeName);
        if (dtype == null) {
            throw new CheckpointFormatException(where + " has an unknown dtype \"" + dtypeName + "\"");
        }
        long[] shape = integers(map.get("shape"), -1, where + " \"shape\"");
        long[] offsets = integers(map.get("data_offsets"), 2, where + " \"data_offsets\"");
        int[] dims = new int[shape.length];
        long bytes = dtype.size();
        for (int axis = 0; axis < shape.length; axis++) {
            if (shape[axis] > Integer.MAX_VALUE) {
                throw new CheckpointFormatException(where + " has dimension " + shape[axis] + ", too large");
            }
            dims[axis] = (int) shape[axis];
            try {
                bytes = Math.multiplyExact(bytes, shape[axis]);
            } catch (ArithmeticException e) {
                throw new CheckpointFormatException(where + " has a shape whose size overflows 64 bits");
            }
        }
        if (offsets[1] < offsets[0]) {
            throw new CheckpointFormatException(where + " has data_offsets [" + offsets[0] + ", " + offsets[1]
                    + "] that end before they begin");
        }
        if (offsets[1] - offsets[0] != bytes) {
            throw new CheckpointFormatException(where + ": shape " + java.util.Arrays.toString(dims) + " of " + dtype
                    + " needs " + bytes + " bytes but data_offsets [" + offsets[0] + ", " + offsets[1] + "] hold "
                    + (offsets[1] - offsets[0]));
        }
        return new Entry(name, dtype, dims, offsets[0], offsets[1]);
    }

    /** A JSON array of non-negative integers, of length {@code length} unless it is -1. */
    private static long[] integers(Object value, int length, String what) throws CheckpointFormatException {
        if (!(value instanceof List<?> list)) {
            throw new CheckpointFormatException(what + " is missing or not an array");
        }
        if (length >= 0 && list.size() != length) {
            throw new CheckpointFormatException(what + " has " + list.size() + " entries, expected " + length);
        }
        long[] result = new long[list.size()];
        for (int i = 0; i < result.length; i++) {
            if (!(list.get(i) instanceof Long number) || number < 0) {
                throw new CheckpointFormatException(what + " entry " + i + " is " + list.get(i)
                        + ", not a non-negative integer");
            }
            result[i] = number;
        }
        return result;
    }

    /** The tensors must tile the data part: from 0, contiguous, no overlap, up to its end. */
    private static void checkLayout(List<Entry> entries, long dataSize, String source)
            throws CheckpointFormatException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry entry : sorted) {
            if (entry.end() > dataSize) {
                throw new CheckpointFormatException(source + ": tensor '" + entry.name() + "' data_offsets ["
                        + entry.begin() + ", " + entry.end() + "] reach past the " + dataSize
                        + " data bytes in the file (truncated?)");
            }
            if (entry.begin() < covered) {
                throw new CheckpointFormatException(source + ": tensors '" + previous.name() + "' [" + previous.begin()
                        + ", " + previous.end() + ") and '" + entry.name() + "' [" + entry.begin() + ", " + entry.end()
                        + ") overlap");
            }
            if (entry.begin() > covered) {
                throw new CheckpointFormatException(source + ": data bytes [" + covered + ", " + entry.begin()
                        + ") belong to no tensor (gap before '" + entry.name() + "')");
            }
            covered = entry.end();
            previous = entry;
        }
        if (covered != dataSize) {
            throw new CheckpointFormatException(source + ": the file holds " + dataSize + " data bytes but the tensors"
                    + " cover only " + covered);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position, String source)
            throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new CheckpointFormatException(source + ": file ended while reading at byte " + at);
            }
            at += read;
        }
        buffer.flip();
    }
}
