package dev.lanes.training.cli;

import dev.lanes.training.Evaluation;
import java.util.List;
import java.util.Locale;

/** The text the program prints about an evaluation. */
final class Report {
    private Report() {
    }

    /**
     * Accuracy and loss, the confusion matrix, and per-class precision and recall.
     *
     * @param epoch the epoch whose weights were evaluated, or 0 when unknown
     */
    static String results(String split, Evaluation evaluation, List<String> classNames, int epoch) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%s accuracy %.2f%% (%,d images), loss %.4f%s%n", split,
                100 * evaluation.accuracy(), evaluation.count(), evaluation.loss(),
                epoch > 0 ? ", weights of epoch " + epoch : ""));
        text.append("confusion matrix (rows: actual class, columns: predicted class):\n");
        text.append(evaluation.confusion().format(classNames));
        text.append("per class:       precision  recall\n");
        for (int c = 0; c < classNames.size(); c++) {
            text.append(String.format(Locale.ROOT, "  %d %-13s %8.1f%% %6.1f%%%n", c, classNames.get(c),
                    100 * evaluation.confusion().precision(c), 100 * evaluation.confusion().recall(c)));
        }
        return text.toString();
    }
}
