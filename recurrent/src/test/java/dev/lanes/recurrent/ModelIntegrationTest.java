package dev.lanes.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.gradcheck.Values;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Sequential;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.Model;
import dev.lanes.training.checkpoint.ModelCheckpoint;
import dev.lanes.training.optim.Adam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recurrent layers are ordinary layers: inside Sequential, as a Model (images read row by row),
 * with an optimizer and through a checkpoint, whose tensors carry PyTorch's names.
 */
class ModelIntegrationTest {
    private static Model model(long seed) {
        Sequential network = Sequential.builder(Shape.of(1, 6, 5))
                .add("rows", new ImageRows())
                .add("lstm", new Lstm(5, 7, RecurrentOptions.DEFAULT.layers(2).bidirectional(true), seed))
                .add("fc", new Dense(14, 3, seed)).build();
        return Model.of("rows-lstm", network, Shape.of(1, 6, 5));
    }

    @Test
    void aCheckpointRoundTripsTheRecurrentWeights(@TempDir Path folder) throws Exception {
        Model model = model(1);
        assertEquals(3, model.classes());
        assertEquals("lstm.weight_ih_l1_reverse", model.namedParameters().get(12).name());
        Tensor x = Values.uniform(Shape.of(4, 1, 6, 5), 2, -1, 1);
        Adam adam = new Adam(model.parameters(), 1e-2);
        Tensor y = model.network().forward(x, true);
        model.network().backward(Values.uniform(y.shape(), 3, -1, 1));
        adam.step();
        float[] expected = model.network().forward(x, false).toArray();
        Path file = folder.resolve("model.safetensors");
        ModelCheckpoint.save(file, model, adam, Map.of());
        assertEquals(true, Files.size(file) > 0);
        Model other = model(2);
        ModelCheckpoint.load(file, other, null);
        assertArrayEquals(expected, other.network().forward(x, false).toArray());
        List<String> names = ModelCheckpoint.read(file).names();
        assertEquals(true, names.contains("lstm.bias_hh_l0_reverse"), names.toString());
    }
}
