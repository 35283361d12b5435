package dev.lanes.training;

/**
 * A model's answer for one image: the most probable class and the probability of every class
 * (the softmax of the network's scores; they sum to 1).
 *
 * @param label         the most probable class (the first of equals)
 * @param probabilities one probability per class; the caller may keep and change the array
 */
public record Prediction(int label, float[] probabilities) {
    /** {@return the probability of the predicted class} */
    public float confidence() {
        return probabilities[label];
    }
}
