package dev.lanes.recurrent;

import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.training.checkpoint.Checkpoint;
import dev.lanes.training.checkpoint.CheckpointFormatException;
import dev.lanes.training.checkpoint.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Loads a PyTorch state dict saved as safetensors (for example with
 * {@code safetensors.torch.save_file(module.state_dict(), path)}) into a layer whose parameters
 * have PyTorch's names and shapes: the recurrent layers ({@code weight_ih_l0},
 * {@code bias_hh_l1_reverse}, ...), and likewise Dense for {@code nn.Linear}.
 */
public final class StateDicts {
    private StateDicts() {
    }

    /**
     * Copies tensor {@code prefix + name} of the file into each parameter of {@code layer} (by
     * {@link Layer#namedParameters()}), e.g. prefix {@code "lstm."} for a submodule. Every tensor is
     * checked (present, F32, the parameter's shape) before anything is copied, so on an error the
     * layer is unchanged. Tensors the layer does not use are ignored.
     *
     * @param file the safetensors file
     * @param layer the layer whose parameters receive the tensors
     * @param prefix the prefix of the file's tensor names before each parameter name ({@code ""}
     *     for none)
     * @throws CheckpointFormatException naming the file, the tensor and what is wrong
     * @throws IOException               if the file cannot be read
     */
    public static void load(Path file, Layer layer, String prefix) throws IOException {
        Checkpoint dict = Safetensors.read(file);
        List<float[]> staged = new ArrayList<>();
        Map<String, Parameter> parameters = layer.namedParameters();
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            String name = prefix + entry.getKey();
            if (!dict.contains(name)) {
                throw new CheckpointFormatException(dict.source() + ": no tensor " + name + " for " + layer.name()
                        + " (it has " + dict.names() + ")");
            }
            int[] shape = entry.getValue().shape().dims();
            if (!Arrays.equals(dict.shape(name), shape)) {
                throw new CheckpointFormatException(dict.source() + ": tensor " + name + " has shape "
                        + Arrays.toString(dict.shape(name)) + ", " + layer.name() + " needs "
                        + Arrays.toString(shape));
            }
            staged.add(dict.floats(name, shape));
        }
        int next = 0;
        for (Parameter parameter : parameters.values()) {
            float[] values = staged.get(next++);
            System.arraycopy(values, 0, parameter.value().data(), parameter.value().offset(), values.length);
        }
    }
}
