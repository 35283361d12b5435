package dev.lanes.training.checkpoint;

import dev.lanes.tensor.Tensor;
import dev.lanes.training.Model;
import dev.lanes.training.optim.Optimizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Saves and loads a {@link Model} (parameters and buffers) and optionally its {@link Optimizer}'s
 * state in the safetensors format.
 *
 * <p>The file holds one F32 tensor per parameter and buffer under the model's names
 * ({@code conv1.weight}, {@code bn1.running_mean}); with an optimizer, one F32 tensor per
 * parameter and slot ({@code optimizer.conv1.weight.m}) and the I64 scalar
 * {@code optimizer.steps}. The metadata holds {@code format = lanes}, the model and network
 * names, the optimizer and its hyperparameters, whatever the caller adds (epoch, seed, data
 * normalization), and {@code checksum_crc32c}: the CRC-32C of all tensor bytes in header order,
 * so a flipped bit in the data is caught too, not only a damaged header. Nothing depends on the
 * clock or the thread count: the same state gives the same bytes.
 *
 * <p>{@link #load} validates everything (the format, the checksum, the model name, every
 * expected tensor's presence, dtype, shape and finiteness, no unexpected tensors, the optimizer's
 * name and slots) before it copies anything, so a corrupt, truncated or mismatched file leaves
 * the model and the optimizer untouched.
 */
public final class ModelCheckpoint {
    /** The metadata key whose value is {@value #FORMAT}. */
    public static final String FORMAT_KEY = "format";
    /** The format marker. */
    public static final String FORMAT = "lanes";
    /** Metadata keys written by {@link #save}. */
    public static final String MODEL_KEY = "model";
    /** The network's description. */
    public static final String NETWORK_KEY = "network";
    /** The optimizer's name, when its state is saved. */
    public static final String OPTIMIZER_KEY = "optimizer";
    /** The CRC-32C of the tensor bytes, 8 hex digits. */
    public static final String CHECKSUM_KEY = "checksum_crc32c";
    /** The architecture text of a model {@linkplain Model#build built} from one. */
    public static final String ARCHITECTURE_KEY = "architecture";
    /** The input shape (channels, height, width) of a model with an architecture text, e.g. {@code 1,28,28}. */
    public static final String INPUT_SHAPE_KEY = "input_shape";
    /** The per-channel means of the input normalization, comma-separated. */
    public static final String NORMALIZE_MEAN_KEY = "normalize_mean";
    /** The per-channel standard deviations of the input normalization, comma-separated. */
    public static final String NORMALIZE_STD_KEY = "normalize_std";
    /** The tensor holding the optimizer's step count. */
    public static final String STEPS_TENSOR = "optimizer.steps";

    private ModelCheckpoint() {
    }

    /**
     * Writes {@code model} (and {@code optimizer}'s state unless it is null) to {@code file}
     * atomically, with {@code metadata} added to the metadata.
     *
     * @param file the checkpoint file
     * @param model the model whose parameters and buffers are saved
     * @param optimizer the optimizer whose state is saved, or null for none
     * @param metadata entries added to the file's metadata
     * @throws IOException if the file cannot be written
     */
    public static void save(Path file, Model model, Optimizer optimizer, Map<String, String> metadata)
            throws IOException {
        if (optimizer != null && !optimizer.parameters().equals(model.parameters())) {
            throw new IllegalArgumentException("the optimizer does not hold the parameters of model " + model.name());
        }
        SafetensorsWriter writer = new SafetensorsWriter();
        Map<String, String> all = new LinkedHashMap<>();
        all.put(FORMAT_KEY, FORMAT);
        all.put(MODEL_KEY, model.name());
        all.put(NETWORK_KEY, model.network().name());
        if (optimizer != null) {
            all.put(OPTIMIZER_KEY, optimizer.name());
            for (Map.Entry<String, String> entry : optimizer.hyperparameters().entrySet()) {
                all.put("optimizer." + entry.getKey(), entry.getValue());
            }
        }
        if (model.architecture() != null) {
            all.put(ARCHITECTURE_KEY, model.architecture());
            int[] input = model.inputShape().dims();
            all.put(INPUT_SHAPE_KEY, input[0] + "," + input[1] + "," + input[2]);
        }
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            if (all.containsKey(entry.getKey()) || entry.getKey().equals(CHECKSUM_KEY)) {
                throw new IllegalArgumentException("metadata key " + entry.getKey() + " is reserved");
            }
            all.put(entry.getKey(), entry.getValue());
        }
        // The model's normalization, unless the caller records one (lanes train writes its own).
        Model.Normalization normalization = model.normalization();
        if (normalization != null && !metadata.containsKey(NORMALIZE_MEAN_KEY)
                && !metadata.containsKey(NORMALIZE_STD_KEY)) {
            all.put(NORMALIZE_MEAN_KEY, numbers(normalization.mean()));
            all.put(NORMALIZE_STD_KEY, numbers(normalization.std()));
        }
        CRC32C checksum = new CRC32C();
        for (Model.NamedParameter named : model.namedParameters()) {
            float[] values = named.parameter().value().toArray();
            writer.add(named.name(), values, named.parameter().shape().dims());
            update(checksum, values);
        }
        for (Model.NamedBuffer buffer : model.buffers()) {
            float[] values = buffer.tensor().toArray();
            writer.add(buffer.name(), values, buffer.tensor().shape().dims());
            update(checksum, values);
        }
        if (optimizer != null) {
            List<String> slots = optimizer.slotNames();
            for (int p = 0; p < model.namedParameters().size(); p++) {
                Model.NamedParameter named = model.namedParameters().get(p);
                for (int s = 0; s < slots.size(); s++) {
                    float[] values = optimizer.slot(p, s);
                    writer.add(slotTensor(named.name(), slots.get(s)), values, named.parameter().shape().dims());
                    update(checksum, values);
                }
            }
            long[] steps = {optimizer.steps()};
            writer.add(STEPS_TENSOR, steps);
            ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, steps[0]);
            checksum.update(bytes);
        }
        all.put(CHECKSUM_KEY, String.format("%08x", checksum.getValue()));
        for (Map.Entry<String, String> entry : all.entrySet()) {
            writer.metadata(entry.getKey(), entry.getValue());
        }
        writer.write(file);
    }

    /** Comma-separated values, each written so that it reads back to the same float. */
    private static String numbers(float[] values) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            text.append(i == 0 ? "" : ",").append(Float.toString(values[i]));
        }
        return text.toString();
    }

    /**
     * {@return the name of the tensor holding slot {@code slot} of parameter {@code parameter}}
     *
     * @param parameter the parameter's name
     * @param slot the slot's name
     */
    public static String slotTensor(String parameter, String slot) {
        return "optimizer." + parameter + "." + slot;
    }

    private static void update(CRC32C checksum, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            if (!bytes.hasRemaining()) {
                bytes.flip();
                checksum.update(bytes);
                bytes.clear();
            }
            bytes.putFloat(values[i]);
        }
        bytes.flip();
        checksum.update(bytes);
    }

    /**
     * Reads and validates {@code file} (format and checksum) without applying it: for its
     * metadata, or to inspect its tensors.
     *
     * @param file the checkpoint file
     * @return the checkpoint's contents
     * @throws IOException if the file cannot be read
     */
    public static Checkpoint read(Path file) throws IOException {
        Checkpoint checkpoint = Safetensors.read(file);
        String source = checkpoint.source();
        String format = checkpoint.metadata().get(FORMAT_KEY);
        if (!FORMAT.equals(format)) {
            throw new CheckpointFormatException(source + ": not a Lanes checkpoint (metadata \"" + FORMAT_KEY
                    + "\" is " + (format == null ? "missing" : "\"" + format + "\"") + ")");
        }
        String stored = checkpoint.metadata().get(CHECKSUM_KEY);
        if (stored == null) {
            throw new CheckpointFormatException(source + ": metadata \"" + CHECKSUM_KEY + "\" is missing");
        }
        CRC32C checksum = new CRC32C();
        for (String name : checkpoint.names()) {
            checksum.update(checkpoint.rawBytes(name));
        }
        String actual = String.format("%08x", checksum.getValue());
        if (!actual.equals(stored)) {
            throw new CheckpointFormatException(source + ": the tensor data has CRC-32C " + actual + " but the header"
                    + " records " + stored + " (the file is corrupt)");
        }
        return checkpoint;
    }

    /**
     * Loads {@code file} into {@code model} and, unless it is null, {@code optimizer} (which
     * must be of the same kind as the saved one). Everything is validated first; on any error
     * nothing is changed.
     *
     * @param file the checkpoint file
     * @param model the model to load into; its architecture must match the file's
     * @param optimizer the optimizer to restore, or null to skip the optimizer state
     * @return the validated checkpoint (for its metadata)
     * @throws CheckpointFormatException naming the file and the problem
     */
    public static Checkpoint load(Path file, Model model, Optimizer optimizer) throws IOException {
        if (optimizer != null && !optimizer.parameters().equals(model.parameters())) {
            throw new IllegalArgumentException("the optimizer does not hold the parameters of model " + model.name());
        }
        Checkpoint checkpoint = read(file);
        List<float[]> modelValues = stageModel(checkpoint, model);
        List<float[]> slotValues = optimizer == null ? List.of() : stageOptimizer(checkpoint, model, optimizer);
        long steps = 0;
        if (optimizer != null) {
            steps = checkpoint.longs(STEPS_TENSOR, new int[0])[0];
            if (steps < 0) {
                throw new CheckpointFormatException(checkpoint.source() + ": " + STEPS_TENSOR + " is negative ("
                        + steps + ")");
            }
        }
        // Everything is valid: now copy, in the order the values were staged.
        int next = 0;
        for (Model.NamedParameter named : model.namedParameters()) {
            copy(modelValues.get(next++), named.parameter().value());
        }
        for (Model.NamedBuffer buffer : model.buffers()) {
            copy(modelValues.get(next++), buffer.tensor());
        }
        if (optimizer != null) {
            next = 0;
            for (int p = 0; p < model.parameters().size(); p++) {
                for (int s = 0; s < optimizer.slotNames().size(); s++) {
                    float[] values = slotValues.get(next++);
                    System.arraycopy(values, 0, optimizer.slot(p, s), 0, values.length);
                }
            }
            optimizer.restoreSteps(steps);
        }
        return checkpoint;
    }

    private static void copy(float[] values, Tensor target) {
        System.arraycopy(values, 0, target.data(), target.offset(), target.size());
    }

    /**
     * The values of every parameter and buffer of {@code model}, checked (model name, presence,
     * dtype, shape, finiteness, no tensor the model lacks), in the model's order.
     */
    private static List<float[]> stageModel(Checkpoint checkpoint, Model model) throws CheckpointFormatException {
        String source = checkpoint.source();
        String savedModel = checkpoint.metadata().get(MODEL_KEY);
        if (!model.name().equals(savedModel)) {
            throw new CheckpointFormatException(source + ": holds model '" + savedModel + "', not '" + model.name()
                    + "'");
        }
        List<float[]> staged = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (Model.NamedParameter named : model.namedParameters()) {
            staged.add(finite(checkpoint, named.name(), named.parameter().shape().dims()));
            expected.add(named.name());
        }
        for (Model.NamedBuffer buffer : model.buffers()) {
            staged.add(finite(checkpoint, buffer.name(), buffer.tensor().shape().dims()));
            expected.add(buffer.name());
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : checkpoint.names()) {
            if (!expected.contains(name) && !name.startsWith("optimizer.")) {
                unexpected.add(name);
            }
        }
        if (!unexpected.isEmpty()) {
            throw new CheckpointFormatException(source + ": holds tensors that model " + model.name()
                    + " does not have: " + unexpected);
        }
        return staged;
    }

    /** The optimizer's slot values, checked, by parameter then slot. */
    private static List<float[]> stageOptimizer(Checkpoint checkpoint, Model model, Optimizer optimizer)
            throws CheckpointFormatException {
        String savedOptimizer = checkpoint.metadata().get(OPTIMIZER_KEY);
        if (!optimizer.name().equals(savedOptimizer)) {
            throw new CheckpointFormatException(checkpoint.source() + ": holds the state of optimizer '"
                    + savedOptimizer + "', not '" + optimizer.name() + "'");
        }
        List<float[]> staged = new ArrayList<>();
        for (Model.NamedParameter named : model.namedParameters()) {
            for (String slot : optimizer.slotNames()) {
                staged.add(finite(checkpoint, slotTensor(named.name(), slot), named.parameter().shape().dims()));
            }
        }
        return staged;
    }

    private static float[] finite(Checkpoint checkpoint, String name, int[] shape) throws CheckpointFormatException {
        float[] values = checkpoint.floats(name, shape);
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new CheckpointFormatException(checkpoint.source() + ": tensor '" + name + "' holds " + values[i]
                        + " at index " + i);
            }
        }
        return values;
    }
}
