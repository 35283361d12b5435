package dev.lanes.training.cli;

import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.training.Evaluation;
import dev.lanes.training.Model;
import dev.lanes.training.Trainer;
import dev.lanes.training.TrainingOptions;
import dev.lanes.training.TrainingResult;
import dev.lanes.training.data.Augmentation;
import dev.lanes.training.data.DataLoader;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.data.Splits;
import dev.lanes.training.models.Models;
import dev.lanes.training.optim.Optimizer;
import dev.lanes.training.search.BiasVariance;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * Training as {@code lanes train} does it, for the curriculum commands that train several models
 * on one copy of the data (the adversarial table, the search's trials): the settings' model,
 * optimizer, schedule, batch size and augmentation, the last partial batch dropped.
 */
final class CurriculumTraining {
    private CurriculumTraining() {
    }

    /** A trained model and how its training went. */
    record Trained(Model model, Trainer trainer, TrainingResult result) {
    }

    /**
     * {@link TrainCommand#data} of the settings, then at most {@code trainImages} training and
     * {@code testImages} test images (class-balanced seeded samples; 0 keeps all): short runs
     * for tests and quick looks. The normalization stays that of the whole training part.
     */
    static TrainCommand.Data data(TrainSettings settings, int trainImages, int testImages) throws IOException {
        TrainCommand.Data data = TrainCommand.data(settings);
        return new TrainCommand.Data(data.source(), sample(data.train(), trainImages, settings.seed()),
                data.validation(), sample(data.test(), testImages, settings.seed()), data.mean(), data.std());
    }

    /** A class-balanced seeded sample of {@code count} images of {@code data} (all of them for 0 or more than it has). */
    static Dataset sample(Dataset data, int count, long seed) {
        if (count <= 0 || count >= data.count()) {
            return data;
        }
        double fraction = (double) count / data.count();
        return Splits.split(data, new double[] {fraction, 1 - fraction}, seed, true).get(0);
    }

    /**
     * The decks' bias/variance diagnosis of a trained model: its accuracy on a sample of the
     * training images as large as the validation part (inference mode, the final weights) against
     * its validation accuracy.
     */
    static String diagnosis(Trainer trainer, TrainCommand.Data data, Evaluation validation, long seed) {
        Dataset sample = sample(data.train(), (int) validation.count(), seed);
        return "bias/variance (" + sample.count() + " training images): "
                + BiasVariance.of(evaluate(trainer, sample).accuracy(), validation.accuracy()).describe();
    }

    /** The trainer's model evaluated on every image of {@code data}. */
    static Evaluation evaluate(Trainer trainer, Dataset data) {
        return trainer.evaluate(new DataLoader(data, 256, false, false, 0, Augmentation.NONE));
    }

    /**
     * Trains the settings' model (weights and shuffling from the settings' seed) on
     * {@code train}, validating on {@code validation} (may be null), writing checkpoints and
     * charts to {@code output} (null for none) and epoch lines to {@code log} (null for none).
     * {@code configure} may add to the options once the model exists (e.g. adversarial training).
     */
    static Trained train(TrainSettings settings, Dataset train, Dataset validation, Path output, PrintStream log,
                         BiConsumer<Model, TrainingOptions> configure) throws IOException {
        Model model = Models.create(settings.model(), settings.seed());
        boolean dropLast = train.count() > settings.batchSize();
        DataLoader trainLoader = new DataLoader(train, settings.batchSize(), true, dropLast, settings.seed(),
                new Augmentation(settings.shift(), settings.flip()));
        DataLoader validationLoader = validation == null ? null : new DataLoader(validation, settings.batchSize(),
                false, false, settings.seed(), Augmentation.NONE);
        Optimizer optimizer = TrainCommand.optimizer(settings, model, trainLoader.batchesPerEpoch());
        TrainingOptions options = new TrainingOptions().epochs(settings.epochs()).patience(settings.patience())
                .outputDirectory(output).charts(output != null).log(log)
                .progress(TrainCommand.progress(log == null ? "none" : settings.progress(), log))
                .metadata("seed", Long.toString(settings.seed()));
        if (configure != null) {
            configure.accept(model, options);
        }
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), optimizer, options);
        return new Trained(model, trainer, trainer.fit(trainLoader, validationLoader));
    }
}
