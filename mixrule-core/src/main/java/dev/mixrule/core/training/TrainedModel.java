package dev.mixrule.core.training;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.mixrule.core.model.NetworkBuilder;
import dev.mixrule.core.model.RuleNetwork;
import dev.mixrule.core.rules.RuleContext;
import dev.mixrule.kernel.data.ImageDataset;
import dev.mixrule.kernel.data.Normalization;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.InputShape;
import dev.mixrule.kernel.recipe.Initialization;
import dev.mixrule.kernel.recipe.TrainingOptions;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A built (and possibly trained) network with its genome, input shape and normalisation.
 * Owns native memory: close it. Use it on the {@link ComputeThread} only.
 */
public final class TrainedModel implements AutoCloseable {
    private static final String MAGIC = "MIXRULE-CHECKPOINT-1";
    /** Images per forward pass when measuring accuracy on a CPU. */
    static final int EVALUATION_BATCH = 500;

    private final GenomePlan plan;
    private final String dataset;
    private final Normalization normalization;
    private final NDManager manager;
    private final RuleNetwork block;
    private final ParameterStore parameterStore;

    TrainedModel(GenomePlan plan, String dataset, Normalization normalization, long seed, Initialization init,
                 double[] inverseTemperatures, Device device) {
        this.plan = plan;
        this.dataset = dataset;
        this.normalization = normalization;
        this.manager = NDManager.newBaseManager(device); // every weight and every batch lives on this device
        this.block = NetworkBuilder.build(plan, normalization,
                new RuleContext(plan.input().classes(), init, inverseTemperatures));
        Engine.getInstance().setRandomSeed((int) seed);
        InputShape in = plan.input();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, in.channels(), in.height(), in.width()));
        this.parameterStore = new ParameterStore(manager, false);
    }

    /** A freshly initialised model for this genome (weights and feedback matrices drawn from the seed). */
    public static TrainedModel create(GenomePlan plan, String dataset, Normalization normalization, long seed) {
        return new TrainedModel(plan, dataset, normalization, seed, Initialization.XAVIER, null, null);
    }

    /**
     * A freshly initialised model as the options say (seed, initialisation, SoftHebb temperatures) on this device
     * (null: the engine's default).
     */
    public static TrainedModel create(GenomePlan plan, String dataset, Normalization normalization, TrainingOptions opt,
                                      Device device) {
        return new TrainedModel(plan, dataset, normalization, opt.seed(), opt.init(), opt.hebbianInverseTemperatures(),
                device);
    }

    /** The device its weights (and the batches it is trained and evaluated on) live on. */
    public Device device() {
        return manager.getDevice();
    }

    public GenomePlan plan() {
        return plan;
    }

    public String dataset() {
        return dataset;
    }

    public Normalization normalization() {
        return normalization;
    }

    public RuleNetwork block() {
        return block;
    }

    public NDManager manager() {
        return manager;
    }

    public ParameterStore parameterStore() {
        return parameterStore;
    }

    /** Logits of a batch of images in [0,1], shape (n, classes). training=false: the plain forward graph. */
    public NDArray logits(NDArray images, boolean training) {
        return block.forward(parameterStore, new NDList(images), training).singletonOrThrow();
    }

    /**
     * Top-1 accuracy on the first {@code limit} images (all when limit <= 0): the correct predictions are counted on
     * the device batch by batch ({@link #EVALUATION_BATCH} images; 4x that on a GPU) and read back once.
     */
    public double accuracy(ImageDataset data, int limit) {
        ImageDataset d = data.limit(limit);
        if (d.size() == 0) {
            throw new IllegalArgumentException(data.name() + " is empty");
        }
        int batch = manager.getDevice().isGpu() ? 4 * EVALUATION_BATCH : EVALUATION_BATCH;
        try (NDArray correct = manager.zeros(new Shape(1))) {
            for (int from = 0; from < d.size(); from += batch) {
                int to = Math.min(d.size(), from + batch);
                try (NDScope scope = new NDScope()) {
                    NDArray predicted = logits(Tensors.images(d, manager, from, to), false).argMax(1);
                    correct.addi(predicted.eq(Tensors.labels(d, manager, from, to)).sum().toType(DataType.FLOAT32, false));
                }
            }
            return ReadBacks.floats(correct)[0] / (double) d.size();
        }
    }

    /** Writes genome, dataset, shape, normalisation and every parameter (feedback matrices too). */
    public void save(OutputStream out) throws IOException {
        DataOutputStream dos = new DataOutputStream(out);
        dos.writeUTF(MAGIC);
        dos.writeUTF(plan.canonicalText());
        dos.writeUTF(dataset);
        InputShape in = plan.input();
        dos.writeInt(in.channels());
        dos.writeInt(in.height());
        dos.writeInt(in.width());
        dos.writeInt(in.classes());
        dos.writeFloat(normalization.mean());
        dos.writeFloat(normalization.std());
        block.saveParameters(dos);
        dos.flush();
    }

    /** Reads what {@link #save} wrote; the error says what is wrong with the stream. */
    public static TrainedModel load(InputStream in, String source) throws IOException {
        DataInputStream dis = new DataInputStream(in);
        String magic;
        try {
            magic = dis.readUTF();
        } catch (IOException e) {
            throw new IOException(source + ": not a mixrule checkpoint (unreadable header)", e);
        }
        if (!MAGIC.equals(magic)) {
            throw new IOException(source + ": not a mixrule checkpoint (wrong header)"); // never echo file contents
        }
        String canonical = dis.readUTF();
        String dataset = dis.readUTF();
        InputShape shape = new InputShape(dis.readInt(), dis.readInt(), dis.readInt(), dis.readInt());
        Normalization norm = new Normalization(dis.readFloat(), dis.readFloat());
        GenomePlan plan;
        try {
            plan = GenomePlan.of(GenomeCodec.fromCanonical(canonical), shape);
        } catch (RuntimeException e) {
            throw new IOException(source + ": corrupt checkpoint (its genome does not parse)", e);
        }
        TrainedModel model = new TrainedModel(plan, dataset, norm, 0, Initialization.XAVIER, null, null);
        try {
            model.block.loadParameters(model.manager, dis);
        } catch (MalformedModelException | IOException e) {
            model.close();
            throw new IOException(source + ": corrupt parameters (" + e.getClass().getSimpleName() + ")", e);
        }
        return model;
    }

    @Override
    public void close() {
        manager.close();
    }
}
