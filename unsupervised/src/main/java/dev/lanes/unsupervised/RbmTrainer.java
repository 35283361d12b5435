package dev.lanes.unsupervised;

import dev.lanes.kernels.Parallel;
import dev.lanes.kernels.Reductions;
import dev.lanes.layers.Parameter;
import dev.lanes.tensor.Tensor;
import dev.lanes.training.random.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trains an {@link Rbm} by contrastive divergence (CD-k, Hinton 2002) or persistent contrastive
 * divergence (PCD-k, Tieleman 2008) on mini-batches, with momentum and weight decay.
 *
 * <p>One update, for a batch of n rows: the {@link #positivePhase} adds the data's statistics
 * (with hidden probabilities P(h | v), not samples), the {@link #negativePhase} runs k Gibbs steps
 * (CD: from the batch; PCD: from where the persistent chains stopped) and subtracts the chains'
 * statistics, and {@link #apply} takes the step: for each weight
 * {@code Δ ← μ·Δ + ε·(g − λ·W)}, {@code W ← W + Δ} (biases without the decay term). The three
 * steps are public so that checks can replace a phase with an exact computation.
 *
 * <p>Each epoch visits the rows in a permutation drawn from {@code (seed, epoch)}; the chains draw
 * from their own stream of the seed. A run depends only on the data, the options and the seed.
 * After each epoch the reconstruction error (the mean over monitored rows of {@code ||v −
 * E[v | P(h | v)]||²}, no sampling) is recorded. If a chain or a parameter becomes NaN or
 * infinite, {@link #fit} puts the parameters back to the end of the last good epoch and throws a
 * {@link ChainDivergedException} naming the epoch and the batch.
 */
public final class RbmTrainer {
    private static final long SHUFFLE_STREAM = 1;
    private static final long CHAIN_STREAM = 2;

    private final Rbm rbm;
    private final RbmTrainingOptions options;
    private final GibbsSampler chains;
    private final RbmGradient gradient;
    private final float[][] velocities;
    private final float[] positiveProbabilities;
    private final float[] batch;
    private int epochsDone;

    /**
     * A trainer for {@code rbm} (whose parameters it updates in place).
     *
     * @param rbm the RBM to train; its parameters are updated in place
     * @param options the training settings
     */
    public RbmTrainer(Rbm rbm, RbmTrainingOptions options) {
        this.rbm = rbm;
        this.options = options;
        this.chains = new GibbsSampler(rbm, options.batchSize(), SplitMix64.derive(options.seed(), CHAIN_STREAM));
        this.gradient = new RbmGradient(rbm);
        List<Parameter> parameters = rbm.parameters();
        this.velocities = new float[parameters.size()][];
        for (int i = 0; i < velocities.length; i++) {
            velocities[i] = new float[parameters.get(i).value().size()];
        }
        this.positiveProbabilities = new float[options.batchSize() * rbm.hidden()];
        this.batch = new float[options.batchSize() * rbm.visible()];
    }

    /**
     * One epoch's record: its number (from 1), the reconstruction error and the seconds it took.
     *
     * @param epoch the epoch's number, from 1
     * @param reconstructionError the mean squared reconstruction error on the monitored rows
     * @param seconds the wall time of the epoch, in seconds
     */
    public record Epoch(int epoch, double reconstructionError, double seconds) {
    }

    /**
     * Trains on the rows of a (count, V) tensor; see {@link #fit(float[], int)}.
     *
     * @param data the rows, row-major, (count, V)
     * @return one record per epoch
     */
    public List<Epoch> fit(Tensor data) {
        Tensor rows = Matrices.requireMatrix(rbm.name(), "training data", data, rbm.visible());
        if (rows.offset() != 0) {
            rows = rows.copy();
        }
        return fit(rows.data(), rows.dim(0));
    }

    /**
     * Trains for the configured epochs on {@code count} rows of {@code data} (count, V), checked
     * first (0 or 1 for Bernoulli units, or in [0, 1] with {@code acceptProbabilities}; finite
     * for Gaussian units).
     *
     * @param data the rows, row-major, (count, V)
     * @param count the number of rows used, from the first, {@code >= 1}
     * @return one record per epoch
     * @throws IllegalArgumentException naming the first bad value, or for no rows
     * @throws ChainDivergedException   after restoring the parameters of the last good epoch
     */
    public List<Epoch> fit(float[] data, int count) {
        if (count < 1) {
            throw new IllegalArgumentException(rbm.name() + ": training needs at least one row, got " + count);
        }
        rbm.checkVisible(data, 0, count, options.acceptProbabilities());
        int monitored = Math.min(count, options.monitorRows());
        List<Epoch> epochs = new ArrayList<>();
        float[][] good = snapshot();
        int[] order = new int[count];
        for (int e = 1; e <= options.epochs(); e++) {
            long start = System.nanoTime();
            int epoch = epochsDone + 1;
            Permutations.shuffle(order, new SplitMix64(SplitMix64.derive(SplitMix64.derive(options.seed(),
                    SHUFFLE_STREAM), epoch)));
            runEpoch(data, order, epoch, good);
            double error = reconstructionError(data, 0, monitored);
            if (!Double.isFinite(error)) {
                throw diverged(good, epoch, -1, null);
            }
            good = snapshot();
            epochsDone = epoch;
            Epoch record = new Epoch(epoch, error, (System.nanoTime() - start) / 1e9);
            epochs.add(record);
            if (options.log() != null) {
                options.log().printf(Locale.ROOT, "epoch %3d  reconstruction error %.4f  %.1f s%n", epoch, error,
                        record.seconds());
            }
        }
        return epochs;
    }

    private void runEpoch(float[] data, int[] order, int epoch, float[][] good) {
        int size = options.batchSize();
        int visible = rbm.visible();
        float learningRate = options.epochLearningRate(epoch);
        float momentum = options.epochMomentum(epoch);
        for (int first = 0, number = 0; first < order.length; first += size, number++) {
            int n = Math.min(size, order.length - first);
            for (int row = 0; row < n; row++) {
                System.arraycopy(data, order[first + row] * visible, batch, row * visible, visible);
            }
            try {
                gradient.zero();
                // the chains first, then both statistics products: the three products with W run
                // back to back, and the two that write the statistics right before the update
                // reads them (the same operations on the same values as positivePhase and then
                // negativePhase, so the same bits)
                float[] dataHidden = startChains(batch, 0, n);
                if (dataHidden != positiveProbabilities) {
                    System.arraycopy(dataHidden, 0, positiveProbabilities, 0, n * rbm.hidden());
                }
                runChains();
                gradient.accumulate(1f / n, batch, 0, positiveProbabilities, 0, n);
                accumulateChains(gradient);
            } catch (ChainDivergedException e) {
                throw diverged(good, epoch, number, e);
            }
            if (!gradient.biasesFinite() || !apply(gradient, learningRate, momentum)) {
                throw diverged(good, epoch, number, null);
            }
        }
    }

    /**
     * Adds the data term, (1/n)·(P(h | v)ᵀ v, Σ v, Σ P(h | v)), of the n rows of {@code v} to g. For
     * CD the chains start at these rows (sharing the hidden probabilities); for PCD the chains
     * start at the first batch seen.
     *
     * @param g the statistics, in the RBM's shapes
     * @param v the visible values, row-major, (n, V) from {@code offV}
     * @param offV the index in {@code v} of the first row's first value
     * @param n the number of rows, {@code >= 1}
     */
    public void positivePhase(RbmGradient g, float[] v, int offV, int n) {
        g.accumulate(1f / n, v, offV, startChains(v, offV, n), 0, n);
    }

    /**
     * Runs k Gibbs steps on the chains and subtracts their mean statistics from g.
     *
     * @param g the statistics, in the RBM's shapes
     */
    public void negativePhase(RbmGradient g) {
        runChains();
        accumulateChains(g);
    }

    /**
     * The data's hidden probabilities P(h | v) of the n rows (for CD the chains' own array, which
     * their steps overwrite); CD starts the chains at the rows, PCD at the first batch seen.
     */
    private float[] startChains(float[] v, int offV, int n) {
        if (n < 1 || n > options.batchSize()) {
            throw new IllegalArgumentException(rbm.name() + ": a batch holds 1 to " + options.batchSize()
                    + " rows, got " + n);
        }
        if (options.persistent()) {
            rbm.hiddenProbabilities(positiveProbabilities, 0, v, offV, n);
            if (chains.active() == 0) {
                chains.start(v, offV, n);
            }
            return positiveProbabilities;
        }
        chains.start(v, offV, n);
        return chains.hiddenProbabilities();
    }

    /** k Gibbs steps (CD's last hidden states are not drawn: the statistics take the probabilities). */
    private void runChains() {
        if (options.persistent()) {
            chains.run(options.gibbsSteps());
        } else {
            chains.runForStatistics(options.gibbsSteps());
        }
    }

    private void accumulateChains(RbmGradient g) {
        int n = chains.active();
        g.accumulate(-1f / n, chains.visibleStates(), 0, chains.hiddenProbabilities(), 0, n);
    }

    /**
     * The update with statistics g: per parameter {@code Δ ← μ·Δ + ε·(g − λ·θ)} (λ for the
     * weights only), {@code θ ← θ + Δ}. Returns false when a parameter became NaN or infinite.
     *
     * @param g the statistics, in the RBM's shapes
     * @param learningRate ε, the learning rate
     * @param momentum μ, the momentum, in [0, 1)
     * @return false when a parameter became NaN or infinite, else true
     */
    public boolean apply(RbmGradient g, float learningRate, float momentum) {
        List<Parameter> parameters = rbm.parameters();
        float[][] steps = {g.weight(), g.visibleBias(), g.hiddenBias()};
        float sum = 0;
        for (int p = 0; p < steps.length; p++) {
            float decay = p == 0 ? options.weightDecay() : 0f;
            sum += update(parameters.get(p).value().data(), velocities[p], steps[p], learningRate, momentum, decay);
        }
        return Float.isFinite(sum);
    }

    /**
     * The update of one parameter, in fixed chunks on the kernels' threads (each element on its
     * own: the same bits on any thread count); returns the sum of the chunks' sums of the new
     * values (non-finite when a value is). The element loop keeps no running sum, so that it
     * compiles to vector code; each chunk is summed afterwards, while it is in cache.
     */
    private static float update(float[] value, float[] velocity, float[] step, float learningRate, float momentum,
                                float decay) {
        float[] sums = new float[Chunks.count(value.length)];
        Parallel.forEach(sums.length, chunk -> {
            int start = chunk * Chunks.SIZE;
            int end = Math.min(value.length, start + Chunks.SIZE);
            for (int i = start; i < end; i++) {
                float delta = momentum * velocity[i] + learningRate * (step[i] - decay * value[i]);
                velocity[i] = delta;
                value[i] += delta;
            }
            sums[chunk] = Reductions.sum(value, start, end - start);
        });
        float sum = 0;
        for (float chunkSum : sums) {
            sum += chunkSum;
        }
        return sum;
    }

    /**
     * The mean over n rows of {@code ||v − E[v | P(h | v)]||²}: the visible means given the hidden
     * probabilities (mean field, no sampling), a monitor of training.
     *
     * @param v the visible values, row-major, (n, V) from {@code offV}
     * @param offV the index in {@code v} of the first row's first value
     * @param n the number of rows, {@code >= 1}
     * @return the mean squared error per row
     */
    public double reconstructionError(float[] v, int offV, int n) {
        float[] hidden = new float[n * rbm.hidden()];
        float[] means = new float[n * rbm.visible()];
        rbm.hiddenProbabilities(hidden, 0, v, offV, n);
        rbm.visibleMeans(means, 0, hidden, 0, n);
        double sum = 0;
        for (int i = 0; i < means.length; i++) {
            double difference = v[offV + i] - means[i];
            sum += difference * difference;
        }
        return sum / n;
    }

    /** {@return the epochs completed so far (over all calls of fit)} */
    public int epochsDone() {
        return epochsDone;
    }

    /** Copies of the parameters and the velocities. */
    private float[][] snapshot() {
        List<Parameter> parameters = rbm.parameters();
        float[][] copy = new float[2 * parameters.size()][];
        for (int p = 0; p < parameters.size(); p++) {
            copy[p] = parameters.get(p).value().data().clone();
            copy[parameters.size() + p] = velocities[p].clone();
        }
        return copy;
    }

    private ChainDivergedException diverged(float[][] good, int epoch, int batchNumber, Throwable cause) {
        List<Parameter> parameters = rbm.parameters();
        for (int p = 0; p < parameters.size(); p++) {
            float[] value = parameters.get(p).value().data();
            System.arraycopy(good[p], 0, value, 0, value.length);
            System.arraycopy(good[parameters.size() + p], 0, velocities[p], 0, velocities[p].length);
        }
        String where = batchNumber >= 0 ? "epoch " + epoch + ", batch " + (batchNumber + 1) : "epoch " + epoch;
        return new ChainDivergedException(rbm.name() + ": training diverged in " + where
                + " (NaN or infinite values in the Gibbs chains or the parameters); the parameters are back to "
                + (epochsDone == 0 ? "their values before training" : "the end of epoch " + epochsDone)
                + ". Try a smaller learning rate than " + options.epochLearningRate(epoch)
                + (rbm.units() == VisibleUnits.GAUSSIAN ? " (Gaussian visible units need one near 0.001-0.01 "
                + "on standardised data)" : ""), cause);
    }
}
