package dev.lanes.training.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BiasVarianceTest {
    @Test
    void theDecksThreeExamples() {
        assertEquals("high variance (overfitting)", BiasVariance.of(0.99, 0.89).verdict());
        assertEquals("high bias (underfitting)", BiasVariance.of(0.90, 0.89).verdict());
        assertEquals("high bias and high variance", BiasVariance.of(0.89, 0.78).verdict());
        assertEquals("low bias and low variance", BiasVariance.of(0.97, 0.95).verdict());
        assertTrue(BiasVariance.of(0.90, 0.89).advice().startsWith("try a bigger network"));
        assertTrue(BiasVariance.of(0.99, 0.89).advice().startsWith("take a bigger training set"));
        assertEquals("training 99.00%, validation 89.00%: bias 1.0 points, variance 10.0 points: high variance "
                + "(overfitting); take a bigger training set, regularize, change the architecture",
                BiasVariance.of(0.99, 0.89).describe());
    }
}
