package dev.mixrule.core.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.mixrule.core.rules.FeedbackLayer;
import dev.mixrule.kernel.data.Augmentation;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.data.ImageDataset;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.InputShape;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains a genome: mini-batch SGD (momentum or Nesterov) or Adam with weight decay, warm-up and cosine
 * learning rate, random crop and flip on natural images, each batch in
 * its own NDScope so native memory stays flat. Gradients come from each layer's learning rule.
 * Must run on the {@link ComputeThread}.
 */
public final class GenomeTrainer {
    private static final Loss LOSS = Loss.softmaxCrossEntropyLoss();
    /** Global gradient-norm clip. */
    static final double CLIP_NORM = 5.0;
    static final long WARMUP_STEPS = 100;

    private GenomeTrainer() {}

    public static TrainingRun train(GenomePlan plan, DataSplits data, TrainingOptions opt, TrainingListener progress) {
        ImageDataset train = data.train().limit(opt.trainLimit());
        ImageDataset valid = data.valid().limit(opt.testLimit());
        InputShape s = train.shape();
        TrainedModel model = TrainedModel.create(plan, data.dataset(), train.normalization(), opt);
        try {
            NDManager manager = model.manager();
            List<Parameter> params = new ArrayList<>();
            List<NDArray> velocity = new ArrayList<>();
            List<NDArray> second = new ArrayList<>();
            for (Pair<String, Parameter> p : model.block().getParameters()) {
                if (p.getValue().requiresGradient()) {
                    params.add(p.getValue());
                    velocity.add(manager.zeros(p.getValue().getArray().getShape()));
                    if (opt.optimizer() == TrainingOptions.Optimizer.ADAM) {
                        second.add(manager.zeros(p.getValue().getArray().getShape()));
                    }
                }
            }
            boolean augment = Datasets.augments(data.dataset());
            int cropPadding = s.height() >= 32 ? 4 : 2;
            Random augmentRandom = new Random(opt.seed() ^ 0x5DEECE66DL);
            List<FeedbackLayer> layers = model.block().layers();
            List<List<Double>> angles = new ArrayList<>();
            layers.forEach(l -> angles.add(new ArrayList<>()));
            int n = train.size();
            int stepsPerEpoch = (n + opt.batchSize() - 1) / opt.batchSize();
            long totalSteps = (long) stepsPerEpoch * opt.epochs();
            long step = 0;
            double lastLoss = 0;
            double lastAcc = 0;
            double validAcc = 0;
            int epochsDone = 0;
            long trainNanos = 0;
            int[] order = new int[n];
            float[] buf = new float[opt.batchSize() * s.pixels()];
            int[] labels = new int[opt.batchSize()];
            for (int epoch = 1; epoch <= opt.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                shuffle(order, new Random(opt.seed() * 1_000_003L + epoch));
                // on-device accumulators: no per-step read-back; train accuracy is sampled every 4th batch
                NDArray lossAcc = manager.zeros(new Shape(1));
                NDArray correctAcc = manager.zeros(new Shape(1), DataType.INT64);
                int sampled = 0;
                for (int from = 0; from < n; from += opt.batchSize()) {
                    int b = Math.min(opt.batchSize(), n - from);
                    for (int i = 0; i < b; i++) {
                        int idx = order[from + i];
                        System.arraycopy(train.images(), idx * s.pixels(), buf, i * s.pixels(), s.pixels());
                        labels[i] = train.labels()[idx];
                    }
                    if (augment) {
                        Augmentation.cropAndFlip(buf, b, s, cropPadding, augmentRandom);
                    }
                    double lr = learningRate(opt.learningRate(), step, totalSteps);
                    try (NDScope scope = new NDScope()) {
                        NDArray x = manager.create(b == opt.batchSize() ? buf : java.util.Arrays.copyOf(buf, b * s.pixels()),
                                new Shape(b, s.channels(), s.height(), s.width()));
                        NDArray y = manager.create(java.util.Arrays.copyOf(labels, b));
                        NDArray logits;
                        NDArray loss;
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            logits = model.logits(x, true);
                            loss = LOSS.evaluate(new NDList(y), new NDList(logits));
                            backward(gc, loss);
                        }
                        if (from == 0 && !params.isEmpty()) { // one sampled batch per epoch: each layer's update against the true gradient
                            double[] a = GradientAlignment.measure(model, params, x, y, LOSS);
                            for (int i = 0; i < a.length; i++) {
                                if (!Double.isNaN(a[i])) {
                                    angles.get(i).add(a[i]);
                                }
                            }
                        }
                        lossAcc.addi(loss.mul(b));
                        if (step % 4 == 0) {
                            correctAcc.addi(logits.argMax(1).eq(y.toType(DataType.INT64, false)).sum());
                            sampled += b;
                        }
                        // clip the global norm of the (pseudo-)gradient: random deep ReLU chains otherwise
                        // often die in one large early step
                        NDArray[] grads = new NDArray[params.size()];
                        NDArray sqSum = null;
                        for (int i = 0; i < params.size(); i++) {
                            grads[i] = params.get(i).getArray().getGradient();
                            NDArray sq = grads[i].square().sum();
                            sqSum = sqSum == null ? sq : sqSum.addi(sq);
                        }
                        double sq = sqSum == null ? 0 : sqSum.getFloat(); // one sync for the whole norm
                        double norm = Math.sqrt(sq);
                        if (!Double.isFinite(norm)) { // a non-finite loss shows up here too
                            throw new TrainingDivergedException("gradient norm became " + norm + " at epoch " + epoch
                                    + ", step " + step + "; lower the learning rate (now " + opt.learningRate() + ")");
                        }
                        if (norm > CLIP_NORM) {
                            for (NDArray g : grads) {
                                g.muli(CLIP_NORM / norm);
                            }
                        }
                        for (int i = 0; i < params.size(); i++) {
                            NDArray w = params.get(i).getArray();
                            NDArray g = grads[i];
                            update(opt, w, g.add(w.mul(opt.weightDecay())), velocity.get(i),
                                    second.isEmpty() ? null : second.get(i), lr, step + 1);
                            g.muli(0);
                        }
                        for (FeedbackLayer layer : layers) {
                            layer.afterStep(lr);
                        }
                    }
                    step++;
                    int done = from + b;
                    if (step % 20 == 0 || done == n) {
                        progress.batch(epoch, opt.epochs(), done, n, lossAcc.getFloat() / done);
                    }
                }
                trainNanos += System.nanoTime() - epochStart;
                lastLoss = lossAcc.getFloat() / n;
                if (!Double.isFinite(lastLoss)) {
                    throw new TrainingDivergedException("loss became " + lastLoss + " in epoch " + epoch
                            + "; lower the learning rate (now " + opt.learningRate() + ")");
                }
                lastAcc = sampled == 0 ? 0 : correctAcc.getLong() / (double) sampled;
                lossAcc.close();
                correctAcc.close();
                validAcc = model.accuracy(valid, 0);
                progress.epochEnd(epoch, opt.epochs(), lastLoss, lastAcc, validAcc);
                epochsDone = epoch;
                if (epoch < opt.epochs() && progress.stopRequested()) {
                    break; // early stopping: keep this epoch's weights and metrics
                }
            }
            double seconds = trainNanos / 1e9;
            List<LayerAlignment> alignment = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                FeedbackLayer l = layers.get(i);
                long p = l.weightParameter().getArray().size() + (l.biasParameter() == null ? 0 : l.biasParameter().getArray().size());
                alignment.add(new LayerAlignment(l.layerName(), l.rule().rule().shortName(), p, l.exactGradient(),
                        List.copyOf(angles.get(i))));
            }
            return new TrainingRun(model, lastLoss, lastAcc, validAcc, epochsDone, seconds,
                    (double) n * epochsDone / seconds, n, valid.size(), epochsDone < opt.epochs(), alignment);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** One optimizer step on w in place, g already holding the weight decay term. */
    static void update(TrainingOptions opt, NDArray w, NDArray g, NDArray v, NDArray s, double lr, long t) {
        switch (opt.optimizer()) {
            case SGD -> { // v = mu v + g; w -= lr v
                v.muli(opt.momentum()).addi(g);
                w.subi(v.mul(lr));
            }
            case NESTEROV -> { // v = mu v + g; w -= lr (g + mu v)
                v.muli(opt.momentum()).addi(g);
                w.subi(g.add(v.mul(opt.momentum())).mul(lr));
            }
            case ADAM -> { // m = b1 m + (1-b1) g; s = b2 s + (1-b2) g^2; w -= lr m^ / (sqrt(s^) + eps)
                double b1 = opt.momentum() > 0 ? opt.momentum() : 0.9;
                double b2 = 0.999;
                v.muli(b1).addi(g.mul(1 - b1));
                s.muli(b2).addi(g.square().mul(1 - b2));
                double c1 = 1 - Math.pow(b1, t);
                double c2 = 1 - Math.pow(b2, t);
                w.subi(v.div(c1).div(s.div(c2).sqrt().add(1e-8)).mul(lr));
            }
            default -> throw new IllegalStateException("unknown optimizer " + opt.optimizer());
        }
    }

    /** Backward of the loss; a loss that no trainable weight reaches (a Hebbian read-out) has nothing to do. */
    private static void backward(GradientCollector gc, NDArray loss) {
        try {
            gc.backward(loss);
        } catch (ai.djl.engine.EngineException e) {
            if (e.getMessage() == null || !e.getMessage().contains("does not require grad")) {
                throw e;
            }
        }
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

    private static void shuffle(int[] order, Random r) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
