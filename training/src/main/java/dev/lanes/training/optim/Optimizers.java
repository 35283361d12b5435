package dev.lanes.training.optim;

import dev.lanes.layers.Parameter;
import dev.lanes.training.schedule.LearningRateSchedule;
import java.util.List;

/** Optimizers by name, for the command line and for reading checkpoints. */
public final class Optimizers {
    /** The names {@link #create} accepts. */
    public static final List<String> NAMES =
            List.of("sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam", "adamw");

    private Optimizers() {
    }

    /**
     * {@return a usual starting learning rate for the optimizer named {@code name}: 0.1 for plain
     * SGD, 0.01 for SGD with momentum and for Adagrad, 1 for Adadelta (its paper has none), 0.001
     * for RMSProp, Adam and AdamW (the values their papers or lectures use)}
     *
     * @param name the optimizer's name, one of {@link #NAMES}
     */
    public static double defaultLearningRate(String name) {
        return switch (check(name)) {
            case "sgd" -> 0.1;
            case "momentum", "nesterov", "adagrad" -> 0.01;
            case "adadelta" -> 1.0;
            default -> 0.001;
        };
    }

    /**
     * {@return the optimizer named {@code name} with default hyperparameters except: {@code
     * momentum} for momentum and nesterov (ignored by the others) and {@code weightDecay}, the
     * decoupled decay λ of adamw and the L2 penalty λ₂ of the others}
     *
     * @param name the optimizer's name, one of {@link #NAMES}
     * @param parameters the parameters to update, in a fixed order
     * @param schedule the learning-rate schedule
     * @param momentum the momentum of momentum and nesterov, in [0, 1) (ignored by the others)
     * @param weightDecay adamw's decoupled decay λ, or the others' L2 penalty, {@code >= 0}
     */
    public static Optimizer create(String name, List<Parameter> parameters, LearningRateSchedule schedule,
                                   double momentum, double weightDecay) {
        Optimizer optimizer = switch (check(name)) {
            case "sgd" -> new Sgd(parameters, schedule, 0, false);
            case "momentum" -> new Sgd(parameters, schedule, momentum, false);
            case "nesterov" -> new Sgd(parameters, schedule, momentum, true);
            case "adagrad" -> new Adagrad(parameters, schedule, Adagrad.DEFAULT_EPSILON, 0);
            case "adadelta" -> new Adadelta(parameters, schedule, Adadelta.DEFAULT_RHO, Adadelta.DEFAULT_EPSILON);
            case "rmsprop" -> new RmsProp(parameters, schedule, RmsProp.DEFAULT_RHO, RmsProp.DEFAULT_EPSILON);
            case "adam" -> new Adam(parameters, schedule, Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2,
                    Adam.DEFAULT_EPSILON);
            default -> new AdamW(parameters, schedule, Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, Adam.DEFAULT_EPSILON,
                    weightDecay);
        };
        if (!name.equals("adamw")) {
            optimizer.l2(weightDecay);
        }
        return optimizer;
    }

    private static String check(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; choose one of " + NAMES);
        }
        return name;
    }
}
