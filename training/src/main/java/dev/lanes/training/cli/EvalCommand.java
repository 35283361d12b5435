package dev.lanes.training.cli;

import dev.lanes.kernels.Parallel;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.training.Evaluation;
import dev.lanes.training.Model;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingOptions;
import dev.lanes.training.checkpoint.Checkpoint;
import dev.lanes.training.checkpoint.CheckpointFormatException;
import dev.lanes.training.checkpoint.ModelCheckpoint;
import dev.lanes.training.data.Augmentation;
import dev.lanes.training.data.DataLoader;
import dev.lanes.training.data.DataSource;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.data.FashionMnist;
import dev.lanes.training.models.Models;
import dev.lanes.training.report.Progress;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code lanes eval --checkpoint F}: the test accuracy of a saved model. */
final class EvalCommand implements Command {
    static final Set<String> OPTIONS = Set.of("checkpoint", "data", "batch-size", "threads");

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "evaluate a saved model (lanes eval --checkpoint FILE) on the Fashion-MNIST test set";
    }

    static String help() {
        return String.format("""
                usage: lanes eval --checkpoint FILE [OPTIONS]

                Loads a checkpoint written by lanes train (model.safetensors or checkpoint.safetensors),
                evaluates it on the Fashion-MNIST test set normalized as in training, and prints the
                accuracy, the loss, the confusion matrix and per-class precision and recall.

                  --checkpoint FILE    the checkpoint (required)
                  --data DIR           a folder with the IDX files, or 'bundled' for the subset bundled
                                       in Lanes; default %s when present, else the bundled subset
                  --batch-size N       (default 256)
                  --threads N          kernel threads (default: the available processors)
                """, FashionMnist.SYSTEM_DIRECTORY);
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.print(help());
            return 0;
        }
        Arguments parsed = Arguments.parse("eval", arguments, OPTIONS, Set.of());
        Path file = parsed.path("checkpoint");
        if (file == null) {
            throw new UsageException("lanes eval: --checkpoint FILE is required (see lanes eval --help)");
        }
        int batchSize = parsed.integer("batch-size", 256, 1, 65_536);
        Parallel.setThreads(parsed.integer("threads", Runtime.getRuntime().availableProcessors(), 1, 1024));
        Path data = parsed.path("data");

        Checkpoint checkpoint = ModelCheckpoint.read(file);
        String modelName = checkpoint.metadata().get(ModelCheckpoint.MODEL_KEY);
        if (!Models.NAMES.contains(modelName)) {
            throw new CheckpointFormatException(file + ": holds model '" + modelName + "', which lanes does not build"
                    + " (it knows " + String.join(", ", Models.NAMES) + ")");
        }
        float[] mean = floats(checkpoint, "normalize_mean");
        float[] std = floats(checkpoint, "normalize_std");
        Model model = Models.create(modelName, 0);
        ModelCheckpoint.load(file, model, null);

        DataSource source = TrainSettings.dataSource(data);
        Dataset test = source.test().normalized(mean, std);
        out.printf("Lanes eval: %s, model %s, epoch %s%ndata: %s%n", file, model, checkpoint.metadata()
                .getOrDefault("epoch", "?"), source.description());
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), null,
                new TrainingOptions().log(null).progress((task, total) -> Progress.none()));
        Evaluation evaluation = trainer.evaluate(new DataLoader(test, batchSize, false, false, 0, Augmentation.NONE));
        out.print(Report.results("test", evaluation, test.classNames(), 0));
        return 0;
    }

    private static float[] floats(Checkpoint checkpoint, String key) throws CheckpointFormatException {
        String text = checkpoint.metadata().get(key);
        if (text == null) {
            throw new CheckpointFormatException(checkpoint.source() + ": metadata \"" + key + "\" is missing (not"
                    + " written by lanes train?)");
        }
        String[] parts = text.split(",");
        float[] values = new float[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                values[i] = Float.parseFloat(parts[i]);
            }
        } catch (NumberFormatException e) {
            throw new CheckpointFormatException(checkpoint.source() + ": metadata \"" + key + "\" is not a list of"
                    + " numbers: " + text);
        }
        return values;
    }
}
