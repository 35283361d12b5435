package dev.lanes.training;

import dev.lanes.tensor.Shape;
import dev.lanes.training.checkpoint.Checkpoint;
import dev.lanes.training.checkpoint.CheckpointFormatException;
import dev.lanes.training.checkpoint.ModelCheckpoint;
import dev.lanes.training.models.Models;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@link Model#load}: a model rebuilt from what its checkpoint records (the architecture text, or
 * the name of a built-in model), its weights, and the input normalization saved with it.
 */
final class ModelFiles {
    private ModelFiles() {
    }

    static Model load(Path file) throws IOException {
        Checkpoint checkpoint = ModelCheckpoint.read(file);
        Map<String, String> metadata = checkpoint.metadata();
        String name = metadata.get(ModelCheckpoint.MODEL_KEY);
        String architecture = metadata.get(ModelCheckpoint.ARCHITECTURE_KEY);
        Model model;
        if (architecture != null) {
            Shape input = shape(checkpoint, metadata.get(ModelCheckpoint.INPUT_SHAPE_KEY));
            try {
                model = Model.build(name, architecture, input, 0);
            } catch (IllegalArgumentException e) {
                throw new CheckpointFormatException(checkpoint.source() + ": " + e.getMessage());
            }
        } else if (Models.NAMES.contains(name)) {
            model = Models.create(name, 0);
        } else {
            throw new CheckpointFormatException(checkpoint.source() + ": model '" + name + "' records no architecture"
                    + " (its network was built by hand, not by Model.build): build the same network and use"
                    + " ModelCheckpoint.load(file, model, null)");
        }
        ModelCheckpoint.load(file, model, null);
        float[] mean = floats(checkpoint, ModelCheckpoint.NORMALIZE_MEAN_KEY);
        float[] std = floats(checkpoint, ModelCheckpoint.NORMALIZE_STD_KEY);
        if (mean == null || std == null) {
            return model;
        }
        try {
            return model.withNormalization(mean, std);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(checkpoint.source() + ": " + e.getMessage());
        }
    }

    private static Shape shape(Checkpoint checkpoint, String text) throws CheckpointFormatException {
        float[] dims = floats(checkpoint, ModelCheckpoint.INPUT_SHAPE_KEY);
        if (dims == null || dims.length != 3) {
            throw new CheckpointFormatException(checkpoint.source() + ": metadata \"" + ModelCheckpoint.INPUT_SHAPE_KEY
                    + "\" must be three sizes (channels, height, width), got " + (text == null ? "none" : "'" + text
                    + "'"));
        }
        for (float dim : dims) {
            if (dim < 1 || dim != Math.rint(dim)) {
                throw new CheckpointFormatException(checkpoint.source() + ": metadata \""
                        + ModelCheckpoint.INPUT_SHAPE_KEY + "\" must hold positive integers, got '" + text + "'");
            }
        }
        return Shape.of((int) dims[0], (int) dims[1], (int) dims[2]);
    }

    /** A comma-separated list of numbers in the metadata, or null when the key is missing. */
    private static float[] floats(Checkpoint checkpoint, String key) throws CheckpointFormatException {
        String text = checkpoint.metadata().get(key);
        if (text == null) {
            return null;
        }
        String[] parts = text.split(",");
        float[] values = new float[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                values[i] = Float.parseFloat(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            throw new CheckpointFormatException(checkpoint.source() + ": metadata \"" + key
                    + "\" is not a list of numbers: " + text);
        }
        return values;
    }
}
