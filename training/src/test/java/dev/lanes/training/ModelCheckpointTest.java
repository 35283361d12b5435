package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.layers.Parameter;
import dev.lanes.training.checkpoint.Checkpoint;
import dev.lanes.training.checkpoint.CheckpointFormatException;
import dev.lanes.training.checkpoint.ModelCheckpoint;
import dev.lanes.training.checkpoint.SafetensorsWriter;
import dev.lanes.training.optim.Adam;
import dev.lanes.training.optim.Optimizer;
import dev.lanes.training.optim.Sgd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model checkpoints: a round trip restores parameters, buffers and optimizer state exactly, and
 * every kind of bad file fails with a clear message and leaves the model and optimizer untouched.
 */
class ModelCheckpointTest {
    private static final long SEED = 507;

    @TempDir
    Path directory;

    private Path saved;
    private Model target;
    private Adam targetOptimizer;
    private List<float[]> before;

    /** Saves a trained-looking model, and builds another one (different values) to load into. */
    @BeforeEach
    void setUp() throws IOException {
        Model source = TestNetworks.linearModel("tiny", 4, 4, SEED);
        Adam optimizer = new Adam(source.parameters(), 0.01);
        SplittableRandom random = new SplittableRandom(SEED);
        for (int step = 0; step < 3; step++) {
            for (Parameter parameter : source.parameters()) {
                parameter.grad().copyFrom(dev.lanes.tensor.Tensor.randn(parameter.shape(), random.nextLong()));
            }
            optimizer.step();
        }
        source.buffers().get(0).tensor().set(0, 0.75f);
        saved = directory.resolve("model.safetensors");
        ModelCheckpoint.save(saved, source, optimizer, Map.of("epoch", "3", "seed", "507"));
        target = TestNetworks.linearModel("tiny", 4, 4, SEED + 1);
        targetOptimizer = new Adam(target.parameters(), 0.01);
        before = state(target, targetOptimizer);
    }

    private static List<float[]> state(Model model, Optimizer optimizer) {
        List<float[]> state = new ArrayList<>();
        for (Parameter parameter : model.parameters()) {
            state.add(parameter.value().toArray());
        }
        for (Model.NamedBuffer buffer : model.buffers()) {
            state.add(buffer.tensor().toArray());
        }
        for (int p = 0; p < model.parameters().size(); p++) {
            for (int s = 0; s < optimizer.slotNames().size(); s++) {
                state.add(optimizer.slot(p, s).clone());
            }
        }
        state.add(new float[] {optimizer.steps()});
        return state;
    }

    private void assertUntouched() {
        List<float[]> after = state(target, targetOptimizer);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), "state array " + i + " changed");
        }
    }

    private String loadFails(Path file) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> ModelCheckpoint.load(file, target, targetOptimizer));
        assertUntouched();
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void roundTripRestoresEverything() throws IOException {
        Model source = TestNetworks.linearModel("tiny", 4, 4, SEED);
        Checkpoint checkpoint = ModelCheckpoint.load(saved, target, targetOptimizer);
        assertEquals("3", checkpoint.metadata().get("epoch"));
        assertEquals("adam", checkpoint.metadata().get("optimizer"));
        assertEquals("0.9", checkpoint.metadata().get("optimizer.beta1"));
        assertEquals("tiny", checkpoint.metadata().get("model"));
        assertEquals(3, targetOptimizer.steps());
        assertEquals(0.75f, target.buffers().get(0).tensor().get(0));
        assertArrayEquals(checkpoint.floats("fc.weight"), target.parameters().get(0).value().toArray());
        assertArrayEquals(checkpoint.floats("optimizer.fc.weight.v"), targetOptimizer.slot(0, 1));
        assertTrue(!Arrays.equals(source.parameters().get(0).value().toArray(),
                target.parameters().get(0).value().toArray()), "the saved model was trained");
        // Saving the loaded state gives the same bytes.
        Path again = directory.resolve("again.safetensors");
        ModelCheckpoint.save(again, target, targetOptimizer, Map.of("epoch", "3", "seed", "507"));
        assertArrayEquals(Files.readAllBytes(saved), Files.readAllBytes(again));
        // Without an optimizer only the model is loaded.
        Model evalModel = TestNetworks.linearModel("tiny", 4, 4, SEED + 2);
        ModelCheckpoint.load(saved, evalModel, null);
        assertArrayEquals(target.parameters().get(0).value().toArray(), evalModel.parameters().get(0).value().toArray());
    }

    @Test
    void aFlippedDataBitIsCaughtByTheChecksum() throws IOException {
        byte[] bytes = Files.readAllBytes(saved);
        bytes[bytes.length - 20] ^= 0x10;
        Path corrupt = write("corrupt.safetensors", bytes);
        assertTrue(loadFails(corrupt).contains("but the header records"), "checksum message");
    }

    @Test
    void aDamagedHeaderIsReported() throws IOException {
        byte[] bytes = Files.readAllBytes(saved);
        int brace = indexOf(bytes, "\"fc.weight\"");
        bytes[brace] = '{';
        assertTrue(loadFails(write("header.safetensors", bytes)).contains("header is not valid JSON"));
    }

    @Test
    void aTruncatedFileIsReported() throws IOException {
        byte[] bytes = Files.readAllBytes(saved);
        assertTrue(loadFails(write("truncated.safetensors", Arrays.copyOf(bytes, bytes.length - 7)))
                .contains("truncated"));
        assertTrue(loadFails(write("short.safetensors", Arrays.copyOf(bytes, 5))).contains("too short"));
        assertTrue(loadFails(write("empty.safetensors", new byte[0])).contains("too short"));
    }

    @Test
    void anotherModelIsRejected() throws IOException {
        Model other = TestNetworks.linearModel("other", 4, 4, SEED);
        Path file = directory.resolve("other.safetensors");
        ModelCheckpoint.save(file, other, new Adam(other.parameters(), 0.01), Map.of());
        assertEquals(file + ": holds model 'other', not 'tiny'", loadFails(file));
    }

    @Test
    void aShapeMismatchIsRejected() throws IOException {
        // Same name, another size: 5x5 images, so fc.weight is (4, 25).
        Model bigger = TestNetworks.linearModel("tiny", 5, 4, SEED);
        Path file = directory.resolve("bigger.safetensors");
        ModelCheckpoint.save(file, bigger, new Adam(bigger.parameters(), 0.01), Map.of());
        assertEquals(file + ": tensor 'fc.weight' has shape [4, 25], expected [4, 16]", loadFails(file));
    }

    @Test
    void anotherOptimizerIsRejected() throws IOException {
        Path file = directory.resolve("sgd.safetensors");
        Model model = TestNetworks.linearModel("tiny", 4, 4, SEED);
        ModelCheckpoint.save(file, model, new Sgd(model.parameters(), 0.1, 0.9, false), Map.of());
        assertEquals(file + ": holds the state of optimizer 'momentum', not 'adam'", loadFails(file));
    }

    @Test
    void missingExtraOrNonFiniteTensorsAreRejected() throws IOException {
        Checkpoint good = ModelCheckpoint.read(saved);
        Path missing = rewrite("missing.safetensors", good, "fc.bias", null);
        assertTrue(loadFails(missing).contains("no tensor named 'fc.bias'"));
        Path extra = rewrite("extra.safetensors", good, null, "fc.extra");
        assertEquals(extra + ": holds tensors that model tiny does not have: [fc.extra]", loadFails(extra));
        Path noState = rewrite("nostate.safetensors", good, "optimizer.fc.bias.m", null);
        assertTrue(loadFails(noState).contains("no tensor named 'optimizer.fc.bias.m'"));
        Path nan = rewrite("nan.safetensors", good, null, null);
        assertTrue(loadFails(nan).contains("tensor 'fc.weight' holds NaN at index 5"));
    }

    @Test
    void aFileThatIsNotALanesCheckpointIsRejected() throws IOException {
        Path plain = directory.resolve("plain.safetensors");
        new SafetensorsWriter().add("fc.weight", new float[64], 4, 16).write(plain);
        assertEquals(plain + ": not a Lanes checkpoint (metadata \"format\" is missing)", loadFails(plain));
    }

    /**
     * A valid Lanes file (right format and checksum) with the tensors of {@code good}, minus
     * {@code drop}, plus a tensor {@code add}; with both null, fc.weight[5] becomes NaN.
     */
    private Path rewrite(String name, Checkpoint good, String drop, String add) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter();
        for (Map.Entry<String, String> entry : good.metadata().entrySet()) {
            if (!entry.getKey().equals(ModelCheckpoint.CHECKSUM_KEY)) {
                writer.metadata(entry.getKey(), entry.getValue());
            }
        }
        CRC32C checksum = new CRC32C();
        List<String> names = new ArrayList<>(good.names());
        if (add != null) {
            names.add(add);
        }
        for (String tensor : names) {
            if (tensor.equals(drop)) {
                continue;
            }
            if (tensor.equals(add)) {
                float[] values = {1f, 2f};
                writer.add(tensor, values, 2);
                checksum.update(littleEndian(values));
            } else if (tensor.equals(ModelCheckpoint.STEPS_TENSOR)) {
                writer.add(tensor, good.longs(tensor));
                checksum.update(good.rawBytes(tensor));
            } else {
                float[] values = good.floats(tensor);
                if (drop == null && add == null && tensor.equals("fc.weight")) {
                    values[5] = Float.NaN;
                }
                writer.add(tensor, values, good.shape(tensor));
                checksum.update(littleEndian(values));
            }
        }
        writer.metadata(ModelCheckpoint.CHECKSUM_KEY, String.format("%08x", checksum.getValue()));
        Path file = directory.resolve(name);
        writer.write(file);
        return file;
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = directory.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static int indexOf(byte[] bytes, String text) {
        byte[] pattern = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(text + " not found");
    }
}
