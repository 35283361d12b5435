package dev.lanes.training;

import dev.lanes.layers.ActivationLayer;
import dev.lanes.layers.AvgPool2d;
import dev.lanes.layers.BatchNorm1d;
import dev.lanes.layers.BatchNorm2d;
import dev.lanes.layers.Conv2d;
import dev.lanes.layers.Dense;
import dev.lanes.layers.Dropout;
import dev.lanes.layers.Flatten;
import dev.lanes.layers.Layer;
import dev.lanes.layers.MaxPool2d;
import dev.lanes.layers.Sequential;
import dev.lanes.tensor.Shape;
import dev.lanes.training.random.SplitMix64;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A network written as text, one layer per comma: {@code "conv 32 3 pad 1, relu, maxpool 2,
 * flatten, dense 10"}. The text is what a checkpoint records, so {@link Model#load} can build the
 * network again without the caller knowing it. Sizes that follow from the previous layer (input
 * channels and features) are not written.
 *
 * <p>Layers: {@code dense N}; {@code conv N K [stride S] [pad P]} (N filters of K x K);
 * {@code maxpool K [stride S]}; {@code avgpool K [stride S]}; {@code flatten};
 * {@code dropout P}; {@code batchnorm} (over channels after a convolution, over features after a
 * dense layer); and the activations {@code relu}, {@code leakyrelu [SLOPE]}, {@code elu [ALPHA]},
 * {@code selu}, {@code gelu}, {@code sigmoid}, {@code tanh}, {@code softplus}, {@code mish},
 * {@code hardswish}. Layers are named by kind and count ({@code conv1}, {@code relu2}); each
 * random layer's seed is derived from the model's seed and the layer's position.
 */
final class Architecture {
    /** The layer words, for error messages. */
    static final List<String> LAYERS = List.of("dense", "conv", "maxpool", "avgpool", "flatten", "dropout",
            "batchnorm", "relu", "leakyrelu", "elu", "selu", "gelu", "sigmoid", "tanh", "softplus", "mish",
            "hardswish");

    private Architecture() {
    }

    /** {@code text} in its canonical form: lower case, one space between words, ", " between layers. */
    static String canonical(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an architecture must name at least one layer, got '" + text + "'");
        }
        List<String> layers = new ArrayList<>();
        for (String layer : text.split(",")) {
            layers.add(String.join(" ", layer.trim().toLowerCase(Locale.ROOT).split("\\s+")));
        }
        return String.join(", ", layers);
    }

    /**
     * The network {@code text} describes, for images of {@code inputShape} (channels, height,
     * width), with weights drawn from {@code seed}.
     *
     * @throws IllegalArgumentException naming the layer and what was wrong with it
     */
    static Sequential network(String text, Shape inputShape, long seed) {
        String canonical = canonical(text);
        Sequential.Builder builder = Sequential.builder(inputShape);
        int[] dims = inputShape.dims();
        Shape shape = Shape.of(1, dims[0], dims[1], dims[2]);
        Map<String, Integer> counts = new HashMap<>();
        String[] layers = canonical.split(", ");
        for (int position = 0; position < layers.length; position++) {
            String[] words = layers[position].split(" ");
            if (words[0].isEmpty()) {
                throw new IllegalArgumentException("architecture '" + canonical + "': layer " + (position + 1)
                        + " is empty");
            }
            long layerSeed = SplitMix64.derive(seed, position + 1);
            Layer layer;
            try {
                layer = layer(words, shape, layerSeed);
                shape = layer.outputShape(shape);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("architecture '" + canonical + "': layer " + (position + 1) + " '"
                        + layers[position] + "': " + e.getMessage(), e);
            }
            int count = counts.merge(words[0], 1, Integer::sum);
            builder.add(words[0] + count, layer);
        }
        return builder.build();
    }

    private static Layer layer(String[] words, Shape shape, long seed) {
        String kind = words[0];
        return switch (kind) {
            case "dense" -> {
                arguments(words, 1, 1);
                if (shape.rank() != 2) {
                    throw new IllegalArgumentException("dense takes (n, features), got " + shape + " (add flatten)");
                }
                yield new Dense(shape.dim(1), positive(words[1], "the number of outputs"), seed);
            }
            case "conv" -> {
                int filters = positive(words.length > 1 ? words[1] : null, "the number of filters");
                int size = positive(words.length > 2 ? words[2] : null, "the kernel size");
                Map<String, Integer> options = options(words, 3, List.of("stride", "pad"));
                if (shape.rank() != 4) {
                    throw new IllegalArgumentException("conv takes (n, channels, height, width), got " + shape);
                }
                yield Conv2d.builder(shape.dim(1), filters, size).stride(options.getOrDefault("stride", 1))
                        .padding(options.getOrDefault("pad", 0)).seed(seed).build();
            }
            case "maxpool", "avgpool" -> {
                int size = positive(words.length > 1 ? words[1] : null, "the window size");
                int stride = options(words, 2, List.of("stride")).getOrDefault("stride", size);
                yield kind.equals("maxpool") ? new MaxPool2d(size, stride) : new AvgPool2d(size, stride);
            }
            case "flatten" -> {
                arguments(words, 0, 0);
                yield new Flatten();
            }
            case "dropout" -> {
                arguments(words, 1, 1);
                float p = number(words[1], "the drop probability");
                yield new Dropout(p, seed);
            }
            case "batchnorm" -> {
                arguments(words, 0, 0);
                yield shape.rank() == 4 ? new BatchNorm2d(shape.dim(1)) : new BatchNorm1d(shape.dim(1));
            }
            case "leakyrelu" -> {
                arguments(words, 0, 1);
                yield ActivationLayer.leakyRelu(words.length > 1 ? number(words[1], "the slope") : 0.01f);
            }
            case "elu" -> {
                arguments(words, 0, 1);
                yield ActivationLayer.elu(words.length > 1 ? number(words[1], "alpha") : 1f);
            }
            case "relu", "selu", "gelu", "sigmoid", "tanh", "softplus", "mish", "hardswish" -> {
                arguments(words, 0, 0);
                yield switch (kind) {
                    case "relu" -> ActivationLayer.relu();
                    case "selu" -> ActivationLayer.selu();
                    case "gelu" -> ActivationLayer.geluErf();
                    case "sigmoid" -> ActivationLayer.sigmoid();
                    case "tanh" -> ActivationLayer.tanh();
                    case "softplus" -> ActivationLayer.softplus();
                    case "mish" -> ActivationLayer.mish();
                    default -> ActivationLayer.hardSwish();
                };
            }
            default -> throw new IllegalArgumentException("unknown layer '" + kind + "' (layers: "
                    + String.join(", ", LAYERS) + ")");
        };
    }

    private static void arguments(String[] words, int min, int max) {
        int given = words.length - 1;
        if (given < min || given > max) {
            String expected = min == max ? (min == 0 ? "no values" : min + " value" + (min == 1 ? "" : "s"))
                    : "from " + min + " to " + max + " values";
            throw new IllegalArgumentException(words[0] + " takes " + expected + ", got " + given);
        }
    }

    /** {@code name value} pairs from {@code words[from]} on, each name among {@code names}. */
    private static Map<String, Integer> options(String[] words, int from, List<String> names) {
        Map<String, Integer> options = new HashMap<>();
        for (int i = from; i < words.length; i += 2) {
            if (!names.contains(words[i])) {
                throw new IllegalArgumentException("unexpected '" + words[i] + "' (" + words[0] + " takes "
                        + String.join(", ", names) + ")");
            }
            if (i + 1 >= words.length) {
                throw new IllegalArgumentException(words[i] + " needs a value");
            }
            int value = words[i].equals("pad") ? nonNegative(words[i + 1], words[i]) : positive(words[i + 1], words[i]);
            if (options.put(words[i], value) != null) {
                throw new IllegalArgumentException(words[i] + " is given twice");
            }
        }
        return options;
    }

    private static int positive(String word, String what) {
        int value = integer(word, what);
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
        return value;
    }

    private static int nonNegative(String word, String what) {
        int value = integer(word, what);
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be at least 0, got " + value);
        }
        return value;
    }

    private static int integer(String word, String what) {
        if (word == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        try {
            return Integer.parseInt(word);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be an integer, got '" + word + "'");
        }
    }

    private static float number(String word, String what) {
        try {
            float value = Float.parseFloat(word);
            if (!Float.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number, got '" + word + "'");
        }
    }
}
