package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.layers.Dropout;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.loss.SoftmaxCrossEntropy;
import dev.lanes.training.ChunkedGradient.Node;
import dev.lanes.training.data.Augmentation;
import dev.lanes.training.data.Batch;
import dev.lanes.training.data.DataLoader;
import dev.lanes.training.data.Dataset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The chunks, the tree and its covers, and that the weighted chunks add up to the batch's gradient. */
class ChunkedGradientTest {
    private static final long SEED = 2112;

    /** One batch of {@code size} quadrant images. */
    private static Batch firstBatch(int size) {
        Dataset data = TestNetworks.quadrants(size, 0.5, 0, SEED);
        DataLoader loader = new DataLoader(data, size, false, false, SEED, Augmentation.NONE);
        loader.startEpoch(0);
        return loader.next();
    }

    @Test
    void coversAreTheLargestNodesInsideTheRange() {
        assertEquals(List.of(new Node(0, 4)), ChunkedGradient.cover(0, 4, 4));
        assertEquals(List.of(new Node(2, 4)), ChunkedGradient.cover(2, 4, 4));
        assertEquals(List.of(new Node(1, 2), new Node(2, 3)), ChunkedGradient.cover(1, 3, 4));
        assertEquals(List.of(new Node(0, 2), new Node(2, 3)), ChunkedGradient.cover(0, 3, 8));
        assertEquals(List.of(new Node(0, 3)), ChunkedGradient.cover(0, 3, 3));
        assertEquals(List.of(new Node(0, 1), new Node(1, 2)), ChunkedGradient.cover(0, 2, 3));
        assertEquals(List.of(), ChunkedGradient.cover(2, 2, 4));
    }

    @Test
    void anySplitIntoRangesGivesTheBitsOfTheLeaves() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int trial = 0; trial < 200; trial++) {
            int chunks = 1 + random.nextInt(12);
            int length = 1 + random.nextInt(9);
            Map<Node, float[]> leaves = new HashMap<>();
            for (int c = 0; c < chunks; c++) {
                float[] values = new float[length];
                for (int i = 0; i < length; i++) {
                    values[i] = (float) (random.nextDouble(-1, 1) * Math.pow(10, random.nextInt(-4, 5)));
                }
                leaves.put(new Node(c, c + 1), values);
            }
            float[] expected = ChunkedGradient.sum(new Node(0, chunks), leaves);
            // a random contiguous partition; each part sends the sums of its cover
            Map<Node, float[]> sent = new HashMap<>();
            int from = 0;
            while (from < chunks) {
                int to = from + 1 + random.nextInt(chunks - from);
                for (Node node : ChunkedGradient.cover(from, to, chunks)) {
                    sent.put(node, ChunkedGradient.sum(node, leaves));
                }
                from = to;
            }
            assertArrayEquals(expected, ChunkedGradient.sum(new Node(0, chunks), sent),
                    "trial " + trial + ", chunks " + chunks + ", seed " + SEED);
        }
    }

    @Test
    void weightedChunksAddUpToTheBatchGradient() {
        Batch batch = firstBatch(23);
        Model model = TestNetworks.linearModel("tiny", 4, 4, SEED);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        BatchTensors tensors = new BatchTensors();
        loss.forward(model.network().forward(tensors.input(batch), true), tensors.target(batch));
        model.network().backward(loss.backward());
        float[] whole = new float[(int) model.parameterCount()];
        int at = 0;
        for (Parameter parameter : model.parameters()) {
            System.arraycopy(parameter.grad().data(), 0, whole, at, parameter.grad().size());
            at += parameter.grad().size();
        }
        // 23 images in 5 chunks of 4, 5, 4, 5, 5: unequal weights
        ChunkedGradient chunked = new ChunkedGradient(model, loss, 5);
        Map<Node, float[]> leaves = new HashMap<>();
        int images = 0;
        for (int c = 0; c < 5; c++) {
            float[] gradient = new float[chunked.floats()];
            images += chunked.gradient(batch, c, 0, gradient, null).images();
            leaves.put(new Node(c, c + 1), gradient);
        }
        assertEquals(23, images);
        float[] combined = ChunkedGradient.sum(new Node(0, 5), leaves);
        for (int i = 0; i < whole.length; i++) {
            assertEquals(whole[i], combined[i], 1e-6f + 1e-5f * Math.abs(whole[i]), "element " + i + ", seed " + SEED);
        }
        for (Parameter parameter : model.parameters()) {
            for (float g : parameter.grad().data()) {
                assertEquals(0f, g, "the parameters' own gradients are left at zero");
            }
        }
    }

    @Test
    void eachChunkDrawsTheDropoutMaskOfItsStepAndIndex() {
        Batch batch = firstBatch(8);
        Dropout dropout = new Dropout(0.5f, SEED);
        Model model = TestNetworks.linearModel("drop", 4, 4, SEED, dropout);
        ChunkedGradient chunked = new ChunkedGradient(model, new SoftmaxCrossEntropy(), 4);
        chunked.gradient(batch, 2, 7, new float[chunked.floats()], null);
        assertEquals(7 * 4 + 2 + 1, dropout.calls());
    }

    @Test
    void badArgumentsAreNamed() {
        Model model = TestNetworks.linearModel("tiny", 4, 4, SEED);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        assertEquals("gradient chunks must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new ChunkedGradient(model, loss, 0)).getMessage());
        ChunkedGradient chunked = new ChunkedGradient(model, loss, 2);
        Batch batch = firstBatch(4);
        assertEquals("chunk must be in [0, 2), got 2", assertThrows(IllegalArgumentException.class,
                () -> chunked.gradient(batch, 2, 0, new float[chunked.floats()], null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> chunked.gradient(batch, 0, 0, new float[3],
                null)).getMessage().startsWith("the gradient array has 3 floats but model tiny has"));
        assertEquals("no gradient for chunk 1", assertThrows(IllegalArgumentException.class,
                () -> ChunkedGradient.sum(new Node(0, 2), Map.of(new Node(0, 1), new float[1]))).getMessage());
        assertEquals("a chunk range needs 0 <= from <= to <= 4, got [3, 5)",
                assertThrows(IllegalArgumentException.class, () -> ChunkedGradient.cover(3, 5, 4)).getMessage());
        assertEquals("gradient chunks and adversarial training cannot be combined",
                assertThrows(IllegalArgumentException.class, () -> new Trainer(model, loss,
                        new dev.lanes.training.optim.Sgd(model.parameters(), 0.1), new TrainingOptions()
                        .gradientChunks(2).adversarial(new dev.lanes.training.adversarial.AdversarialTraining(
                                null, 1, 2, 1, 0, 8, SEED)))).getMessage());
    }
}
