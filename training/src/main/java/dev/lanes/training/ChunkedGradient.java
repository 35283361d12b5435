package dev.lanes.training;

import dev.lanes.layers.Dropout;
import dev.lanes.layers.Layer;
import dev.lanes.layers.Parameter;
import dev.lanes.layers.Sequential;
import dev.lanes.layers.loss.Loss;
import dev.lanes.tensor.Shape;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.data.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gradient of a mini-batch computed as a fixed number of logical chunks combined in a fixed
 * tree: what makes a step independent of where its chunks are computed. {@link Trainer} uses it
 * with {@link TrainingOptions#gradientChunks} above 1, and a distributed trainer computes the
 * same chunks on other machines and combines them in the same tree, so both give the same bits.
 *
 * <p><b>Chunks.</b> A batch of n images is cut into C chunks, chunk c holding images
 * {@code [c·n/C, (c+1)·n/C)} (integer division). The chunk's gradient is that of the chunk's own
 * mean loss (a forward and a backward of the chunk alone), times the float {@code n_c / n}, so
 * the weighted chunks add up to the gradient of the batch's mean loss. An empty chunk (a batch
 * smaller than C) contributes zeros. Dropout's mask of chunk c in step s is mask number
 * {@code s·C + c} of every {@link Dropout} in the network, whoever computes it.
 *
 * <p><b>The tree.</b> The weighted chunk gradients are added pairwise in a fixed binary tree over
 * the chunk indices: node [lo, hi) is the elementwise float sum of its halves [lo, mid) and
 * [mid, hi), mid = (lo + hi) / 2. A worker holding a contiguous range of chunks sends the sums of
 * the largest nodes inside its range ({@link #cover}); whoever combines them evaluates the same
 * tree ({@link #sum}). Float addition is deterministic, so the result does not depend on how the
 * chunks were spread, in which order results arrived or how often a chunk was recomputed.
 *
 * <p>Gradients are flat float arrays: the model's parameters in order, each row-major. The
 * forwards and backwards run on the caller's thread with the kernels' pool, whose results do not
 * depend on the thread count. Not thread-safe: one instance per model replica.
 */
public final class ChunkedGradient {
    private final Model model;
    private final Layer network;
    private final Loss loss;
    private final int chunks;
    private final List<Dropout> dropouts;
    private final int floats;
    private float[] targetValues = new float[0];

    /**
     * The result of one chunk: its mean loss and how many of its images were classified right.
     *
     * @param loss the chunk's mean loss
     * @param images the images in the chunk
     * @param correct how many of them were classified right
     */
    public record ChunkResult(float loss, int images, int correct) {
    }

    /**
     * Chunked gradients of {@code model} under {@code loss} (mean-reduced, class-index targets)
     * with {@code chunks} chunks per batch.
     *
     * @param model the model
     * @param loss the loss, mean-reduced over class-index targets
     * @param chunks the number of chunks per batch, {@code >= 1}
     * @throws IllegalArgumentException if chunks is less than 1
     */
    public ChunkedGradient(Model model, Loss loss, int chunks) {
        if (chunks < 1) {
            throw new IllegalArgumentException("gradient chunks must be at least 1, got " + chunks);
        }
        this.model = model;
        this.network = model.network();
        this.loss = loss;
        this.chunks = chunks;
        this.dropouts = new ArrayList<>();
        collectDropouts(network, dropouts);
        long total = model.parameterCount();
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("model " + model.name() + " has " + total
                    + " parameters, more than one float array holds");
        }
        this.floats = (int) total;
    }

    private static void collectDropouts(Layer layer, List<Dropout> found) {
        if (layer instanceof Dropout dropout) {
            found.add(dropout);
        } else if (layer instanceof Sequential sequential) {
            for (Layer child : sequential.layers()) {
                collectDropouts(child, found);
            }
        }
    }

    /**
     * Chunks per batch.
     *
     * @return the number of chunks per batch
     */
    public int chunks() {
        return chunks;
    }

    /**
     * Floats of a flat gradient (the model's parameter count).
     *
     * @return the number of floats of a flat gradient
     */
    public int floats() {
        return floats;
    }

    /**
     * {@return the first image of chunk {@code chunk} in a batch of {@code size} images cut into
     * {@code chunks}}
     *
     * @param chunk the chunk, in [0, chunks)
     * @param size the images in the batch
     * @param chunks the number of chunks per batch, {@code >= 1}
     */
    public static int chunkStart(int chunk, int size, int chunks) {
        return (int) ((long) chunk * size / chunks);
    }

    /**
     * Computes chunk {@code chunk} of {@code batch} in step {@code step} (counted from 0 over the
     * whole run): writes its weighted gradient into {@code gradient} (length {@link #floats()}) and,
     * when {@code predictions} is not null, the predicted class of each of its images at the image's
     * batch position. The parameters' own gradients are zero afterwards.
     *
     * @param batch the batch
     * @param chunk the chunk, in [0, chunks)
     * @param step the step, from 0 over the whole run
     * @param gradient the flat gradient the chunk's weighted gradient is written to
     * @param predictions the array of predicted classes, or null
     * @return the chunk's mean loss, image count and correct count
     * @throws IllegalArgumentException if the chunk index or the array length is wrong
     */
    public ChunkResult gradient(Batch batch, int chunk, long step, float[] gradient, int[] predictions) {
        if (gradient.length != floats) {
            throw new IllegalArgumentException("the gradient array has " + gradient.length + " floats but model "
                    + model.name() + " has " + floats + " parameters");
        }
        ChunkResult result = backward(batch, chunk, step, predictions);
        if (!Float.isFinite(result.loss())) {
            return result;
        }
        float weight = (float) ((double) result.images() / batch.size());
        int at = 0;
        List<Parameter> parameters = model.parameters();
        for (Parameter parameter : parameters) {
            float[] grad = parameter.grad().data();
            int length = parameter.grad().size();
            for (int i = 0; i < length; i++) {
                gradient[at + i] = weight * grad[i];
            }
            at += length;
        }
        zeroGradients(parameters);
        return result;
    }

    /**
     * The forward and backward of chunk {@code chunk} of {@code batch} in step {@code step} alone:
     * leaves the gradient of the chunk's own mean loss (not weighted) in the parameters' gradients,
     * which are zeroed first (and stay zero for an empty chunk or a non-finite loss), and writes the
     * predictions as {@link #gradient} does. For local steps on a shard, as parameter averaging takes.
     *
     * @param batch the batch
     * @param chunk the chunk, in [0, chunks)
     * @param step the step, from 0 over the whole run
     * @param predictions the array of predicted classes, or null
     * @return the chunk's mean loss, image count and correct count
     * @throws IllegalArgumentException if the chunk index is wrong
     */
    public ChunkResult backward(Batch batch, int chunk, long step, int[] predictions) {
        if (chunk < 0 || chunk >= chunks) {
            throw new IllegalArgumentException("chunk must be in [0, " + chunks + "), got " + chunk);
        }
        int size = batch.size();
        int start = chunkStart(chunk, size, chunks);
        int count = chunkStart(chunk + 1, size, chunks) - start;
        zeroGradients(model.parameters());
        if (count == 0) {
            return new ChunkResult(0f, 0, 0);
        }
        int imageSize = batch.imageSize();
        Shape shape = Shape.of(count, batch.channels(), batch.height(), batch.width());
        Tensor input = Tensor.wrap(batch.images(), start * imageSize, shape, shape.contiguousStrides());
        if (targetValues.length < batch.capacity()) {
            targetValues = new float[batch.capacity()];
        }
        int[] labels = batch.labels();
        for (int i = 0; i < count; i++) {
            targetValues[i] = labels[start + i];
        }
        Tensor target = Tensor.wrap(targetValues, 0, Shape.of(count), new int[] {1});
        for (Dropout dropout : dropouts) {
            dropout.setCalls(step * chunks + chunk);
        }
        Tensor output = network.forward(input, true);
        float value = loss.forward(output, target);
        int correct = 0;
        for (int i = 0; i < count; i++) {
            int predicted = argmax(output, i);
            if (predictions != null) {
                predictions[start + i] = predicted;
            }
            if (predicted == labels[start + i]) {
                correct++;
            }
        }
        if (Float.isFinite(value)) {
            network.backward(loss.backward());
        }
        return new ChunkResult(value, count, correct);
    }

    private static int argmax(Tensor output, int row) {
        float[] data = output.data();
        int base = output.offset() + row * output.stride(0);
        int columnStride = output.stride(1);
        int best = 0;
        float bestValue = data[base];
        for (int c = 1; c < output.dim(1); c++) {
            float value = data[base + c * columnStride];
            if (value > bestValue) {
                bestValue = value;
                best = c;
            }
        }
        return best;
    }

    private static void zeroGradients(List<Parameter> parameters) {
        for (Parameter parameter : parameters) {
            Tensor grad = parameter.grad();
            java.util.Arrays.fill(grad.data(), grad.offset(), grad.offset() + grad.size(), 0f);
        }
    }

    /**
     * Writes a flat gradient into the parameters' own gradients, for the optimizer's step.
     *
     * @param gradient the flat gradient
     */
    public void setGradients(float[] gradient) {
        if (gradient.length != floats) {
            throw new IllegalArgumentException("the gradient has " + gradient.length + " floats but model "
                    + model.name() + " has " + floats + " parameters");
        }
        int at = 0;
        for (Parameter parameter : model.parameters()) {
            Tensor grad = parameter.grad();
            System.arraycopy(gradient, at, grad.data(), grad.offset(), grad.size());
            at += grad.size();
        }
    }

    /**
     * A node [lo, hi) of the tree over the chunks.
     *
     * @param lo the first chunk of the node
     * @param hi the end (exclusive) of the node's chunks
     */
    public record Node(int lo, int hi) {
        /**
         * A node.
         *
         * @throws IllegalArgumentException unless {@code 0 <= lo < hi}
         */
        public Node {
            if (lo < 0 || hi <= lo) {
                throw new IllegalArgumentException("a tree node needs 0 <= lo < hi, got [" + lo + ", " + hi + ")");
            }
        }
    }

    /**
     * {@return the largest nodes of the tree over {@code [0, chunks)} that lie inside {@code [from,
     * to)}, left to right: what a holder of those chunks sends}
     *
     * @param from the first chunk held
     * @param to the end (exclusive) of the chunks held
     * @param chunks the number of chunks per batch, {@code >= 1}
     * @throws IllegalArgumentException unless {@code 0 <= from <= to <= chunks}
     */
    public static List<Node> cover(int from, int to, int chunks) {
        if (from < 0 || to < from || to > chunks) {
            throw new IllegalArgumentException("a chunk range needs 0 <= from <= to <= " + chunks + ", got [" + from
                    + ", " + to + ")");
        }
        List<Node> nodes = new ArrayList<>();
        cover(0, chunks, from, to, nodes);
        return nodes;
    }

    private static void cover(int lo, int hi, int from, int to, List<Node> nodes) {
        if (hi <= from || to <= lo) {
            return;
        }
        if (from <= lo && hi <= to) {
            nodes.add(new Node(lo, hi));
            return;
        }
        int mid = (lo + hi) >>> 1;
        cover(lo, mid, from, to, nodes);
        cover(mid, hi, from, to, nodes);
    }

    /**
     * {@return the sum of node [lo, hi) of the tree: a node present in {@code known} is taken as
     * is, any other is the sum of its halves} {@code known} holds chunk gradients (nodes [c, c+1))
     * or partial sums from {@link #cover}. The result may be an array of {@code known}.
     *
     * @param node the node to sum
     * @param known the gradients known, by node
     * @throws IllegalArgumentException if a chunk below [lo, hi) is neither known nor covered
     */
    public static float[] sum(Node node, Map<Node, float[]> known) {
        float[] value = known.get(node);
        if (value != null) {
            return value;
        }
        if (node.hi() - node.lo() == 1) {
            throw new IllegalArgumentException("no gradient for chunk " + node.lo());
        }
        int mid = (node.lo() + node.hi()) >>> 1;
        float[] left = sum(new Node(node.lo(), mid), known);
        float[] right = sum(new Node(mid, node.hi()), known);
        if (left.length != right.length) {
            throw new IllegalArgumentException("gradients of different lengths: " + left.length + " and "
                    + right.length);
        }
        float[] result = new float[left.length];
        for (int i = 0; i < result.length; i++) {
            result[i] = left[i] + right[i];
        }
        return result;
    }
}
