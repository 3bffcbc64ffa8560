package dev.mixrule.bench;

import com.google.gson.JsonObject;
import dev.mixrule.cli.DatasetCheck;
import dev.mixrule.cli.Output;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.core.training.TrainingDevices;
import dev.mixrule.core.training.TrainingRun;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.data.FashionMnist;
import dev.mixrule.kernel.device.DeviceSpec;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.kernel.metrics.Metric;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `bench train`: the training throughput of the reference CNN or the NB201 example cell, on a chosen device. */
@Command(name = "train", description = "Train the reference CNN (conv3x3-32, pool, conv3x3-64, pool, dense-10; batch 128)"
        + " or the NB201 example cell (examples/genomes/nb201-cell.json; batch 64) for one epoch of Fashion-MNIST"
        + " (55,000 images, SGD momentum 0.9, lr 0.05) and report images/s.")
final class TrainBench implements Callable<Integer> {
    /** examples/genomes/nb201-cell.json in canonical form (TrainBenchTest checks they agree): mixed rules. */
    static final String NB201_CELL = "nb201:C16:N5:stem@usf:reduce@usf:head@bp:|nor_conv_3x3~0@fa|+|nor_conv_3x3~0@usf"
            + "|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1@frsf|skip_connect~2|";

    /** The networks the GPU figures of issue 14 were measured on. */
    enum Network { reference, nb201 }

    @Option(names = "--network", defaultValue = "reference", description = "reference or nb201") Network network;
    @Option(names = "--rule", description = "bp, fa, usf, brsf, frsf, dfa, hebbian; nb201 also mixed (the cell's own"
            + " rules). Default: bp for reference, mixed for nb201") String rule;
    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu(N)") String device;
    @Option(names = "--epochs", defaultValue = "1") int epochs;
    @Option(names = "--train-limit", defaultValue = "0", description = "images per epoch (0: all 55,000)") int trainLimit;
    @Option(names = "--batch", defaultValue = "0", description = "0: 128 for reference, 64 for nb201") int batch;
    @Option(names = "--dataset", defaultValue = FashionMnist.NAME, description = "fashion-mnist, or synthetic (12x12,"
            + " 4 classes: a quick check of the code path)") String dataset;
    @Option(names = "--resident-data", defaultValue = "auto", description = "the training set on the device: auto (on a GPU), "
            + "true or false (batches copied from the host each step); sets " + GenomeTrainer.RESIDENT_DATA) String residentData;
    @Option(names = "--json") boolean json;

    /** The reference workload (10 classes on Fashion-MNIST); bench/pytorch_reference.py runs the same one in PyTorch eager. */
    static String referenceGenome(Rule rule, int classes) {
        String r = rule.shortName();
        return "chain:pad0|conv3x3-32-p1-relu@" + r + "|maxpool2|conv3x3-64-p1-relu@" + r + "|maxpool2|dense-" + classes
                + "@" + (rule == Rule.HEBBIAN ? "bp" : r);
    }

    /** The genome a network and rule name: nb201 with one rule replaces every rule of the cell (a Hebbian head stays bp). */
    static String genome(Network network, String rule, int classes) {
        if (network == Network.reference) {
            return referenceGenome(Rule.fromName(rule == null ? "bp" : rule), classes);
        }
        if (rule == null || rule.equals("mixed")) {
            return NB201_CELL;
        }
        String r = Rule.fromName(rule).shortName();
        return NB201_CELL.replaceAll("@[a-z]+", "@" + r).replace("head@hebbian", "head@bp");
    }

    @Override
    public Integer call() throws Exception {
        DeviceSpec spec = DeviceSpec.parse("--device", device);
        System.setProperty(GenomeTrainer.RESIDENT_DATA, residentData); // checked (auto, true, false) when training starts
        if (dataset.equals(FashionMnist.NAME)) {
            DatasetCheck.ensureFashionMnist(System.err);
        }
        DataSplits data = Datasets.load(dataset);
        String canonical = genome(network, rule, data.train().shape().classes());
        GenomePlan plan = GenomePlan.of(GenomeCodec.fromCanonical(canonical), data.train().shape());
        int b = batch > 0 ? batch : network == Network.reference ? 128 : 64;
        TrainingOptions opt = new TrainingOptions(epochs, b, 0.05, 0.9, 5e-4, trainLimit, 0, 1);
        String label = rule == null ? network.name() : rule;
        JsonObject out = Training.trainThen(plan, data, opt, new TrainingListener() {
            @Override
            public void batch(int epoch, int epochs, int done, int total) {
                System.err.printf(Locale.ROOT, "\r%s: epoch %d/%d %6d/%d images", label, epoch, epochs, done, total);
            }
        }, spec, (run, m) -> {
            System.err.println();
            return report(canonical, b, run, m, m.accuracy(data.test(), 0));
        });
        if (json) {
            System.out.println(Output.json(out));
        } else {
            System.out.printf(Locale.ROOT, "%s on %s: %.0f images/s (%.1f s; last epoch %.0f images/s), test accuracy %.4f%n",
                    label, out.get("device").getAsString(), out.get(Metric.TRAIN_IMAGES_PER_SECOND.key()).getAsDouble(),
                    out.get(Metric.TRAIN_SECONDS.key()).getAsDouble(), out.get(LAST_EPOCH_IMAGES_PER_SECOND).getAsDouble(),
                    out.get(Metric.TEST_ACCURACY.key()).getAsDouble());
        }
        return 0;
    }

    static final String LAST_EPOCH_IMAGES_PER_SECOND = "last_epoch_images_per_second";

    private JsonObject report(String canonical, int b, TrainingRun run, TrainedModel m, double testAccuracy) {
        JsonObject o = new JsonObject();
        o.addProperty("network", network.name());
        o.addProperty("rule", rule == null ? (network == Network.reference ? "bp" : "mixed") : rule);
        o.addProperty("genome", canonical);
        o.addProperty("device", TrainingDevices.name(m.device()));
        o.addProperty("dataset", dataset);
        o.addProperty("batch", b);
        o.addProperty("resident_data", residentData);
        o.addProperty("threads", Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()));
        o.addProperty("train_examples", run.trainExamples());
        o.addProperty("epochs", run.epochsCompleted());
        o.addProperty(Metric.TRAIN_SECONDS.key(), run.trainSeconds());
        o.addProperty(Metric.TRAIN_IMAGES_PER_SECOND.key(), run.imagesPerSecond());
        o.addProperty(LAST_EPOCH_IMAGES_PER_SECOND, run.lastEpochImagesPerSecond());
        o.addProperty(Metric.TEST_ACCURACY.key(), testAccuracy);
        return o;
    }
}
