package dev.mixrule.core.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.ImageDataset;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;

/**
 * Trains a genome: mini-batch SGD (momentum or Nesterov) or Adam with weight decay, warm-up and cosine
 * learning rate, random crop and flip on natural images, each batch in
 * its own NDScope so native memory stays flat. Gradients come from each layer's learning rule.
 * The pieces: {@link Batches} (shuffle, copy, augment), {@link TrainingStep} (forward, loss, backward, clip,
 * {@link WeightOptimizer}, after-step), {@link EpochStats}, {@link AlignmentRecorder}; after each epoch the
 * validation, the listener's epoch end and its early-stop request.
 * Must run on the {@link ComputeThread}.
 */
public final class GenomeTrainer implements AutoCloseable {
    static final long WARMUP_STEPS = 100;
    /** Training progress is reported every this many steps (and at the end of each epoch). */
    private static final int PROGRESS_EVERY = 20;

    /** The training metrics of one epoch. */
    private record EpochTraining(double loss, double accuracy) {}

    /** The metrics of one finished epoch. */
    private record EpochEnd(double loss, double trainAccuracy, double validAccuracy) {}

    private final TrainedModel model;
    private final ImageDataset valid;
    private final TrainingOptions opt;
    private final TrainingListener progress;
    private final TrainingBatches batches;
    private final TrainingStep trainingStep;
    private final AlignmentRecorder alignment;
    private final long totalSteps;
    private long step;
    private long trainNanos;
    private long lastEpochNanos;

    private GenomeTrainer(TrainedModel model, DataSplits data, ImageDataset train, ImageDataset valid,
                          TrainingOptions opt, TrainingListener progress, boolean resident) {
        this.model = model;
        this.valid = valid;
        this.opt = opt;
        this.progress = progress;
        this.batches = resident ? new ResidentBatches(train, data.dataset(), opt.batchSize(), opt.seed(), model.manager())
                : new Batches(train, data.dataset(), opt.batchSize(), opt.seed());
        this.trainingStep = new TrainingStep(model, opt);
        this.alignment = new AlignmentRecorder(model.block().layers());
        this.totalSteps = (long) batches.stepsPerEpoch() * opt.epochs();
    }

    /** Trains on the engine's default device. */
    public static TrainingRun train(GenomePlan plan, DataSplits data, TrainingOptions opt, TrainingListener progress) {
        return train(plan, data, opt, progress, null);
    }

    /** Trains with the model and every batch on {@code device} (null: the engine's default). */
    public static TrainingRun train(GenomePlan plan, DataSplits data, TrainingOptions opt, TrainingListener progress,
                                    Device device) {
        return train(plan, data, opt, progress, device, null);
    }

    /** As above; {@code resident}: the training set on the device (true), batched from the host (false), or chosen (null). */
    static TrainingRun train(GenomePlan plan, DataSplits data, TrainingOptions opt, TrainingListener progress,
                             Device device, Boolean resident) {
        ImageDataset train = data.train().limit(opt.trainLimit());
        ImageDataset valid = data.valid().limit(opt.testLimit());
        TrainedModel model = TrainedModel.create(plan, data.dataset(), train.normalization(), opt, device);
        boolean onDevice = resident != null ? resident : residentData(model.device(), train);
        try (GenomeTrainer trainer = new GenomeTrainer(model, data, train, valid, opt, progress, onDevice)) {
            return trainer.run();
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The system property that places the training set: auto (on the device when it is a GPU), true, false. */
    public static final String RESIDENT_DATA = "mixrule.training.resident-data";

    /**
     * Whether the training set lives on the device: on a GPU (a step then uploads nothing, so the host never waits
     * for a copy) unless {@link #RESIDENT_DATA} says otherwise; never when its images exceed ResidentBatches.MAX_BYTES.
     * On a CPU the host batches are the cheaper path (no second copy of the dataset in native memory).
     */
    static boolean residentData(Device device, ImageDataset train) {
        String setting = System.getProperty(RESIDENT_DATA, "auto");
        boolean wanted = switch (setting) {
            case "auto" -> device.isGpu();
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(RESIDENT_DATA + " must be auto, true or false, got '" + setting + "'");
        };
        return wanted && ResidentBatches.fits(train);
    }

    @Override
    public void close() {
        batches.close();
    }

    private TrainingRun run() {
        EpochEnd last = null;
        int epochsDone = 0;
        for (int epoch = 1; epoch <= opt.epochs(); epoch++) {
            last = validate(epoch, trainEpoch(epoch));
            epochsDone = epoch;
            if (epoch < opt.epochs() && progress.stopRequested()) {
                break; // early stopping: keep this epoch's weights and metrics
            }
        }
        double seconds = trainNanos / 1e9;
        int n = batches.size();
        return new TrainingRun(model, last.loss(), last.trainAccuracy(), last.validAccuracy(), epochsDone, seconds,
                (double) n * epochsDone / seconds, n, valid.size(), epochsDone < opt.epochs(), alignment.result(),
                n / (lastEpochNanos / 1e9));
    }

    /**
     * One epoch over the shuffled training set. Nothing inside it reads back from the device: the loss, the
     * accuracy and the gradient norms are summed there and read once at the end, where a non-finite loss or
     * gradient norm stops training.
     */
    private EpochTraining trainEpoch(int epoch) {
        long epochStart = System.nanoTime();
        batches.shuffle(epoch);
        int n = batches.size();
        try (EpochStats stats = new EpochStats(model.manager())) {
            for (int from = 0; from < n; from += batches.batchSize()) {
                int b = batches.fill(from);
                trainBatch(from == 0, b, stats);
                step++;
                int done = from + b;
                if (step % PROGRESS_EVERY == 0 || done == n) {
                    progress.batch(epoch, opt.epochs(), done, n);
                }
            }
            EpochStats.Totals totals = stats.read(n);
            alignment.collect();
            lastEpochNanos = System.nanoTime() - epochStart;
            trainNanos += lastEpochNanos;
            if (!Double.isFinite(totals.gradientNormSum())) {
                throw new TrainingDivergedException("gradient norm became " + totals.gradientNormSum() + " in epoch "
                        + epoch + "; lower the learning rate (now " + opt.learningRate() + ")");
            }
            if (!Double.isFinite(totals.meanLoss())) {
                throw new TrainingDivergedException("loss became " + totals.meanLoss() + " in epoch " + epoch
                        + "; lower the learning rate (now " + opt.learningRate() + ")");
            }
            return new EpochTraining(totals.meanLoss(), totals.accuracy());
        }
    }

    /** One step on the filled batch in its own scope; the first batch of an epoch also measures the alignment. */
    private void trainBatch(boolean measureAlignment, int b, EpochStats stats) {
        double lr = learningRate(opt.learningRate(), step, totalSteps);
        NDManager manager = model.manager();
        try (NDScope scope = new NDScope()) {
            NDArray x = batches.images(manager, b);
            NDArray y = batches.labels(manager, b);
            TrainingStep.Output out = trainingStep.forwardBackward(x, y);
            if (measureAlignment) {
                alignment.measure(model, trainingStep.params(), x, y);
            }
            NDArray norm = trainingStep.update(lr, step);
            stats.add(out, y, norm, b, step);
        }
    }

    /** The validation accuracy after an epoch, reported to the listener with the epoch's training metrics. */
    private EpochEnd validate(int epoch, EpochTraining train) {
        double validAccuracy = model.accuracy(valid, 0);
        progress.epochEnd(epoch, opt.epochs(), train.loss(), train.accuracy(), validAccuracy);
        return new EpochEnd(train.loss(), train.accuracy(), validAccuracy);
    }

    /** Linear warm-up over the first steps (at most 100, a tenth of the run), then cosine decay to 0. */
    static double learningRate(double base, long step, long totalSteps) {
        long warmup = Math.min(WARMUP_STEPS, totalSteps / 10);
        if (step < warmup) {
            return base * (step + 1) / (double) warmup;
        }
        double progress = (step - warmup) / (double) Math.max(1, totalSteps - warmup);
        return 0.5 * base * (1 + Math.cos(Math.PI * progress));
    }
}
