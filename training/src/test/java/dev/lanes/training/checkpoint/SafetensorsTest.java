package dev.lanes.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path directory;

    /** A file made by hand: the length field, {@code header} (as given) and {@code dataBytes} zero bytes. */
    private Path handMade(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return handMade(json.length, json, dataBytes);
    }

    private Path handMade(long declaredLength, byte[] header, int dataBytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(declaredLength).put(header);
        Path file = directory.resolve("hand.safetensors");
        Files.write(file, buffer.array());
        return file;
    }

    private String readError(Path file) {
        return assertThrows(CheckpointFormatException.class, () -> Safetensors.read(file)).getMessage();
    }

    /** The error for a hand-made file, without the leading "file: ", which is checked. */
    private String headerError(String header, int dataBytes) throws IOException {
        Path file = handMade(header, dataBytes);
        String message = readError(file);
        assertTrue(message.startsWith(file + ": "), message);
        return message.substring(file.toString().length() + 2);
    }

    @Test
    void roundTripOfEveryWrittenType() throws IOException {
        float[] weights = {1.5f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE, -3e38f};
        Path file = directory.resolve("model.safetensors");
        new SafetensorsWriter()
                .metadata("format", "lanes")
                .metadata("note", "quote \" backslash \\ newline \n tab \t é ∑")
                .add("conv1.weight", weights, 2, 1, 3)
                .add("step", new long[] {Long.MIN_VALUE})
                .add("counts", new int[] {3, -4, Integer.MAX_VALUE}, 3)
                .add("moments", new double[] {Math.PI, -1e300}, 1, 2)
                .add("empty", new float[0], 0, 4)
                .write(file);
        Checkpoint checkpoint = Safetensors.read(file);
        assertEquals(List.of("conv1.weight", "step", "counts", "moments", "empty"), checkpoint.names());
        assertEquals(Map.of("format", "lanes", "note", "quote \" backslash \\ newline \n tab \t é ∑"),
                checkpoint.metadata());
        float[] read = checkpoint.floats("conv1.weight", 2, 1, 3);
        for (int i = 0; i < weights.length; i++) {
            assertEquals(Float.floatToRawIntBits(weights[i]), Float.floatToRawIntBits(read[i]), "index " + i);
        }
        assertArrayEquals(new long[] {Long.MIN_VALUE}, checkpoint.longs("step"));
        assertArrayEquals(new int[0], checkpoint.shape("step"));
        assertArrayEquals(new int[] {3, -4, Integer.MAX_VALUE}, checkpoint.ints("counts"));
        assertArrayEquals(new double[] {Math.PI, -1e300}, checkpoint.doubles("moments"));
        assertArrayEquals(new int[] {0, 4}, checkpoint.shape("empty"));
        assertEquals(0, checkpoint.floats("empty").length);
        assertEquals(DType.I32, checkpoint.dtype("counts"));
        assertArrayEquals(new byte[] {3, 0, 0, 0}, Arrays.copyOf(checkpoint.rawBytes("counts"), 4));
    }

    @Test
    void headerIsPaddedJsonAndTensorsAreLittleEndian() throws IOException {
        Path file = directory.resolve("small.safetensors");
        new SafetensorsWriter().add("a", new float[] {1f}, 1).write(file);
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8);
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertEquals("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", header.strip());
        // 1.0f is 0x3F800000: little-endian bytes 00 00 80 3F.
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F}, Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length));
    }

    @Test
    void randomTensorsRoundTripBitForBit() {
        qt().withFixedSeed(401).withExamples(40).forAll(integers().between(0, 5), integers().between(0, 40), longs().all())
                .checkAssert((tensors, maxRows, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    SafetensorsWriter writer = new SafetensorsWriter();
                    float[][] values = new float[tensors][];
                    for (int t = 0; t < tensors; t++) {
                        int rows = random.nextInt(maxRows + 1);
                        values[t] = new float[rows * 3];
                        for (int i = 0; i < values[t].length; i++) {
                            values[t][i] = Float.intBitsToFloat(random.nextInt());
                        }
                        writer.add("t" + t, values[t], rows, 3);
                    }
                    try {
                        Path file = directory.resolve("random.safetensors");
                        writer.write(file);
                        Checkpoint checkpoint = Safetensors.read(file);
                        assertEquals(tensors, checkpoint.names().size(), "seed " + seed);
                        for (int t = 0; t < tensors; t++) {
                            float[] read = checkpoint.floats("t" + t);
                            assertEquals(values[t].length, read.length, "tensor " + t + ", seed " + seed);
                            for (int i = 0; i < read.length; i++) {
                                assertEquals(Float.floatToRawIntBits(values[t][i]), Float.floatToRawIntBits(read[i]),
                                        "tensor " + t + " index " + i + ", seed " + seed);
                            }
                        }
                    } catch (IOException e) {
                        throw new AssertionError("seed " + seed, e);
                    }
                });
    }

    @Test
    void writeReplacesTheFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = directory.resolve("model.safetensors");
        new SafetensorsWriter().add("a", new float[] {1, 2}, 2).write(file);
        new SafetensorsWriter().add("b", new long[] {7}).write(file);
        assertEquals(List.of("b"), Safetensors.read(file).names());
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void writeIntoAMissingDirectoryFailsWithoutLeftovers() {
        Path file = directory.resolve("missing").resolve("model.safetensors");
        assertThrows(IOException.class, () -> new SafetensorsWriter().add("a", new float[1], 1).write(file));
        assertTrue(Files.notExists(file.getParent()));
    }

    @Test
    void writerRejectsBadTensors() {
        SafetensorsWriter writer = new SafetensorsWriter().add("a", new float[2], 2);
        assertEquals("tensor name 'a' was already added",
                assertThrows(IllegalArgumentException.class, () -> writer.add("a", new float[1], 1)).getMessage());
        assertEquals("tensor 'b': shape [2, 2] holds 4 values but the array has 3",
                assertThrows(IllegalArgumentException.class, () -> writer.add("b", new float[3], 2, 2)).getMessage());
        assertEquals("tensor 'c': shape [] holds 1 values but the array has 2",
                assertThrows(IllegalArgumentException.class, () -> writer.add("c", new long[2])).getMessage());
        assertEquals("\"__metadata__\" is reserved and cannot name a tensor",
                assertThrows(IllegalArgumentException.class, () -> writer.add("__metadata__", new int[1])).getMessage());
        assertEquals("tensor 'd': shape [-1] has a negative size",
                assertThrows(IllegalArgumentException.class, () -> writer.add("d", new int[1], -1)).getMessage());
    }

    @Test
    void lengthFieldProblems() throws IOException {
        Path tiny = directory.resolve("tiny");
        Files.write(tiny, new byte[5]);
        assertEquals(tiny + ": file is 5 bytes long, too short for the 8-byte header length", readError(tiny));
        Path huge = handMade(200_000_000L, new byte[16], 0);
        assertEquals(huge + ": header length 200000000 is not between 2 and 100000000 bytes (not a safetensors file?)",
                readError(huge));
        Path negative = handMade(-1L, new byte[16], 0);
        assertEquals(negative + ": header length 18446744073709551615 is not between 2 and 100000000 bytes"
                + " (not a safetensors file?)", readError(negative));
        Path truncated = handMade(64, "{}".getBytes(StandardCharsets.UTF_8), 0);
        assertEquals(truncated + ": header length 64 exceeds the 2 bytes after the length field (file truncated?)",
                readError(truncated));
    }

    @Test
    void malformedHeaders() throws IOException {
        assertEquals("header does not start with '{' (not a safetensors file?)", headerError("[1, 2]", 0));
        assertEquals("header is not valid JSON: expected '}' but found end of the text at offset 10",
                headerError("{\"a\": 1   ", 0));
        assertEquals("header is not valid JSON: unexpected '}', expected a string key at offset 8",
                headerError("{\"a\": 1,}", 0));
        assertEquals("header is not valid JSON: duplicate key \"a\" at offset 52", headerError(
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[0,1]},\"a\":{}}", 1));
        assertEquals("header is not valid JSON: unexpected 'x' after the value at offset 3", headerError("{} x", 0));
        Path notUtf8 = handMade(4, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, 0);
        assertEquals(notUtf8 + ": header is not valid UTF-8", readError(notUtf8));
        assertEquals("\"__metadata__\" entry \"n\" is not a string", headerError("{\"__metadata__\":{\"n\":1}}", 0));
        assertEquals("\"__metadata__\" is not a JSON object", headerError("{\"__metadata__\":[]}", 0));
    }

    @Test
    void badTensorEntries() throws IOException {
        assertEquals("tensor 'w' is not a JSON object", headerError("{\"w\":3}", 0));
        assertEquals("tensor 'w' has an unknown dtype \"F33\"",
                headerError("{\"w\":{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4));
        assertEquals("tensor 'w' has no \"dtype\" string", headerError("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4));
        assertEquals("tensor 'w' \"shape\" is missing or not an array",
                headerError("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4));
        assertEquals("tensor 'w' \"shape\" entry 0 is -1, not a non-negative integer",
                headerError("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4));
        assertEquals("tensor 'w' \"shape\" entry 0 is 1.0, not a non-negative integer",
                headerError("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}}", 4));
        assertEquals("tensor 'w' \"data_offsets\" has 3 entries, expected 2",
                headerError("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 4));
        assertEquals("tensor 'w' has data_offsets [4, 0] that end before they begin",
                headerError("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4));
        assertEquals("tensor 'w': shape [2, 3] of F32 needs 24 bytes but data_offsets [0, 20] hold 20",
                headerError("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 20));
        assertEquals("tensor 'w' has an unexpected key \"extra\"",
                headerError("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}", 4));
        assertEquals("tensor 'w' has a shape whose size overflows 64 bits", headerError(
                "{\"w\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,8],\"data_offsets\":[0,4]}}", 4));
    }

    @Test
    void offsetsMustTileTheDataExactly() throws IOException {
        String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        assertEquals("tensor 'b' data_offsets [8, 16] reach past the 12 data bytes in the file (truncated?)",
                headerError("{" + a + ",\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[8,16]}}", 12));
        assertEquals("tensors 'a' [0, 8) and 'b' [4, 8) overlap",
                headerError("{" + a + ",\"b\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8));
        assertEquals("data bytes [8, 12) belong to no tensor (gap before 'b')",
                headerError("{" + a + ",\"b\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[12,16]}}", 16));
        assertEquals("data bytes [0, 4) belong to no tensor (gap before 'b')",
                headerError("{\"b\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8));
        assertEquals("the file holds 10 data bytes but the tensors cover only 8", headerError("{" + a + "}", 10));
    }

    @Test
    void aTruncatedFileIsReported() throws IOException {
        Path file = directory.resolve("cut.safetensors");
        new SafetensorsWriter().add("w", new float[16], 4, 4).add("b", new float[4], 4).write(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));
        assertEquals(file + ": tensor 'b' data_offsets [64, 80] reach past the 77 data bytes in the file (truncated?)",
                readError(file));
        Files.write(file, Arrays.copyOf(bytes, 20));
        assertTrue(readError(file).matches(".*: header length \\d+ exceeds the 12 bytes after the length field"
                + " \\(file truncated\\?\\)"), readError(file));
    }

    @Test
    void typedGettersReportMismatches() throws IOException {
        Path file = directory.resolve("m.safetensors");
        new SafetensorsWriter().add("w", new float[6], 2, 3).add("step", new long[] {1}).write(file);
        Checkpoint checkpoint = Safetensors.read(file);
        assertEquals(file + ": no tensor named 'v' (the file holds [w, step])",
                assertThrows(CheckpointFormatException.class, () -> checkpoint.floats("v")).getMessage());
        assertEquals(file + ": tensor 'step' has dtype I64, expected F32",
                assertThrows(CheckpointFormatException.class, () -> checkpoint.floats("step")).getMessage());
        assertEquals(file + ": tensor 'w' has shape [2, 3], expected [3, 2]",
                assertThrows(CheckpointFormatException.class, () -> checkpoint.floats("w", 3, 2)).getMessage());
        assertEquals(file + ": tensor 'w' has dtype F32, expected I32",
                assertThrows(CheckpointFormatException.class, () -> checkpoint.ints("w")).getMessage());
    }
}
