package dev.lanes.examples;

import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.Evaluation;
import dev.lanes.training.Model;
import dev.lanes.training.Predictions;
import dev.lanes.training.Trainer;
import dev.lanes.training.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * What a user's project does with Lanes: make its own images as arrays (4x4 grey squares of
 * noise with a brighter left half, right half, top or bottom), train a small network on them,
 * save it, load it back knowing only the file, and predict a batch.
 */
public final class OwnData {
    /** The class names, in label order. */
    public static final List<String> CLASSES = List.of("left", "right", "top", "bottom");

    private OwnData() {
    }

    /** The outcome: the trained model's test accuracy, the loaded model's predictions of the test images, the file. */
    public record Result(double accuracy, Predictions trained, Predictions loaded, int[] labels, Path file) {
    }

    /** {@code count} images of (1, 4, 4), row-major, with labels cycling through the four classes. */
    public static Dataset squares(int count, long seed) {
        Random random = new Random(seed);
        float[] images = new float[count * 16];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % CLASSES.size();
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    boolean bright = switch (labels[i]) {
                        case 0 -> x < 2;
                        case 1 -> x >= 2;
                        case 2 -> y < 2;
                        default -> y >= 2;
                    };
                    images[i * 16 + y * 4 + x] = (bright ? 0.5f : 0f) + 0.5f * random.nextFloat();
                }
            }
        }
        return Dataset.of(images, labels, 1, 4, 4, CLASSES.size(), CLASSES);
    }

    /** Trains, saves to {@code folder}/squares.safetensors, loads and predicts the test images. */
    public static Result run(Path folder, long seed) throws IOException {
        Dataset train = squares(400, seed);
        Dataset test = squares(100, seed + 1);
        Model model = Model.build("squares", "flatten, dense 16, relu, dense 4", Shape.of(1, 4, 4), seed);
        Trainer trainer = Trainer.builder(model).epochs(10).batchSize(20).learningRate(0.01).seed(seed).quiet()
                .build();
        trainer.fit(train);
        Evaluation evaluation = trainer.evaluate(test);

        Path file = folder.resolve("squares.safetensors");
        model.save(file);
        Model loaded = Model.load(file);
        float[] images = new float[test.count() * 16];
        for (int i = 0; i < test.count(); i++) {
            test.copyImage(i, images, i * 16);
        }
        Tensor batch = Tensor.wrap(images, test.count(), 1, 4, 4);
        return new Result(evaluation.accuracy(), model.predict(batch), loaded.predict(batch), test.labels(), file);
    }

    /** Runs the example in a new temporary folder and prints what it did. */
    public static void main(String[] args) throws IOException {
        Result result = run(Files.createTempDirectory("lanes-example"), 1);
        System.out.printf("test accuracy %.1f%%; saved to %s; the loaded model calls image 0 '%s'%n",
                100 * result.accuracy(), result.file(), CLASSES.get(result.loaded().label(0)));
    }
}
