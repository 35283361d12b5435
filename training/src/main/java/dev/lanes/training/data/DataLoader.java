package dev.lanes.training.data;

import dev.lanes.training.random.SplitMix64;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Mini-batches of a {@link Dataset}, epoch by epoch.
 *
 * <p>With shuffling, epoch e visits the images in a permutation drawn (Fisher-Yates) from a
 * stream seeded by {@code (seed, e)}: the order depends only on the seed and the epoch number,
 * not on what was read before, so training can resume at any epoch. Without shuffling the order
 * is 0, 1, 2, .... Every image is visited exactly once per epoch; the last batch holds the
 * remaining {@code count % batchSize} images unless {@code dropLast} is set, which skips them.
 * Augmentation draws from its own stream seeded by {@code (seed, e)}, so turning shuffling on or
 * off does not change which shifts and flips are drawn.
 *
 * <p>The loader owns one {@link Batch} and refills it on each {@link #next()}: no allocation per
 * batch. Use:
 * <pre>{@code
 * loader.startEpoch(epoch);
 * while (loader.hasNext()) {
 *     Batch batch = loader.next();
 *     ... batch.images(), batch.labels(), batch.size() ...
 * }
 * }</pre>
 * Not thread-safe.
 */
public final class DataLoader {
    /** Stream numbers for {@link SplitMix64#derive}: shuffle and augmentation are independent. */
    private static final long SHUFFLE_STREAM = 0x5348554646L;
    private static final long AUGMENT_STREAM = 0x4155474dL;

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final Augmentation augmentation;
    private final int[] order;
    private final float[] fill;
    private final SplitMix64 random = new SplitMix64(0);
    private final SplitMix64 augmentRandom = new SplitMix64(0);
    private final Batch batch;
    private int epoch = -1;
    private int position;
    private int batchNumber;

    /**
     * A loader over {@code dataset}.
     *
     * @param dataset the dataset
     * @param batchSize    images per batch, at least 1
     * @param shuffle      whether each epoch visits the images in a seeded random order
     * @param dropLast     whether to skip a last batch smaller than {@code batchSize}
     * @param seed         seeds the shuffle and the augmentation
     * @param augmentation applied to every batch ({@link Augmentation#NONE} for none)
     */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, long seed,
                      Augmentation augmentation) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.seed = seed;
        this.augmentation = augmentation;
        this.order = new int[dataset.count()];
        this.fill = new float[dataset.channels()];
        for (int c = 0; c < fill.length; c++) {
            fill[c] = dataset.zeroValue(c);
        }
        this.batch = new Batch(batchSize, dataset.channels(), dataset.height(), dataset.width());
    }

    /**
     * {@return a builder of a loader over {@code dataset}, with named settings and defaults: batch
     * size 32, no shuffling, the last partial batch kept, seed 0, no augmentation}
     *
     * <pre>{@code
     * DataLoader train = DataLoader.builder(dataset).batchSize(64).shuffle(true).seed(42).build();
     * }</pre>
     *
     * @param dataset the dataset
     */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /** The settings of a {@link DataLoader}; see {@link DataLoader#builder}. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 32;
        private boolean shuffle;
        private boolean dropLast;
        private long seed;
        private Augmentation augmentation = Augmentation.NONE;

        private Builder(Dataset dataset) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
        }

        /**
         * Images per batch, at least 1 (default 32).
         *
         * @param batchSize the images per batch, {@code >= 1}
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Whether each epoch visits the images in a seeded random order (default false).
         *
         * @param shuffle true to shuffle every epoch
         * @return this builder
         */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /**
         * Whether to skip a last batch smaller than the batch size (default false).
         *
         * @param dropLast true to skip a last partial batch
         * @return this builder
         */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * Seeds the shuffle and the augmentation (default 0).
         *
         * @param seed the seed of the shuffle and the augmentation
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Applied to every batch (default {@link Augmentation#NONE}).
         *
         * @param augmentation the augmentation
         * @return this builder
         */
        public Builder augmentation(Augmentation augmentation) {
            this.augmentation = Objects.requireNonNull(augmentation, "augmentation");
            return this;
        }

        /** {@return the loader} */
        public DataLoader build() {
            return new DataLoader(dataset, batchSize, shuffle, dropLast, seed, augmentation);
        }
    }

    /** {@return the dataset} */
    public Dataset dataset() {
        return dataset;
    }

    /**
     * Images per full batch.
     *
     * @return the images per full batch
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Batches per epoch, counting a last partial batch unless it is dropped.
     *
     * @return the batches per epoch
     */
    public int batchesPerEpoch() {
        int count = dataset.count();
        return dropLast ? count / batchSize : (count + batchSize - 1) / batchSize;
    }

    /**
     * Images per epoch: all of them, or fewer when a partial last batch is dropped.
     *
     * @return the images per epoch
     */
    public int imagesPerEpoch() {
        return dropLast ? dataset.count() / batchSize * batchSize : dataset.count();
    }

    /**
     * Starts epoch {@code epoch} (any number at least 0, in any order): computes its permutation
     * and resets the augmentation stream.
     *
     * @param epoch the epoch, {@code >= 0}
     */
    public void startEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be at least 0, got " + epoch);
        }
        this.epoch = epoch;
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            random.reseed(SplitMix64.derive(SplitMix64.derive(seed, SHUFFLE_STREAM), epoch));
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        augmentRandom.reseed(SplitMix64.derive(SplitMix64.derive(seed, AUGMENT_STREAM), epoch));
        position = 0;
        batchNumber = 0;
    }

    /** {@return whether the current epoch has another batch} */
    public boolean hasNext() {
        if (epoch < 0) {
            return false;
        }
        int remaining = order.length - position;
        return dropLast ? remaining >= batchSize : remaining > 0;
    }

    /**
     * Fills and returns the next batch of the epoch (the same {@link Batch} object every time).
     *
     * @return the batch, the same object at every call
     * @throws IllegalStateException  if no epoch was started
     * @throws NoSuchElementException if the epoch has no batch left
     */
    public Batch next() {
        if (epoch < 0) {
            throw new IllegalStateException("call startEpoch before next");
        }
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " has no batch left after " + batchNumber);
        }
        int size = Math.min(batchSize, order.length - position);
        int imageSize = dataset.imageSize();
        float[] images = dataset.imageArray();
        int[] labels = dataset.labelArray();
        for (int i = 0; i < size; i++) {
            int index = order[position + i];
            System.arraycopy(images, index * imageSize, batch.images(), i * imageSize, imageSize);
            batch.labels()[i] = labels[index];
            batch.indices()[i] = index;
        }
        if (!augmentation.isIdentity()) {
            augmentation.apply(batch.images(), 0, size, dataset.channels(), dataset.height(), dataset.width(),
                    fill, augmentRandom);
        }
        batch.size = size;
        batch.epoch = epoch;
        batch.number = batchNumber++;
        position += size;
        return batch;
    }
}
