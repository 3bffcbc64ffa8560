package dev.mixrule.bench;

import com.google.gson.JsonObject;
import dev.mixrule.cli.DatasetCheck;
import dev.mixrule.cli.Output;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.data.FashionMnist;
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

/** `bench train`: the reference CNN's training throughput. */
@Command(name = "train", description = "Train the reference CNN (conv3x3-32, pool, conv3x3-64, pool, dense-10) for one "
        + "epoch of Fashion-MNIST (55,000 images, batch 128, SGD momentum 0.9, lr 0.05) and report images/s.")
final class TrainBench implements Callable<Integer> {
    @Option(names = "--rule", defaultValue = "bp", description = "bp, fa, usf, brsf, frsf, dfa, hebbian") String rule;
    @Option(names = "--epochs", defaultValue = "1") int epochs;
    @Option(names = "--train-limit", defaultValue = "0") int trainLimit;
    @Option(names = "--json") boolean json;

    /** The reference workload; bench/pytorch_reference.py runs the same one in PyTorch eager. */
    static String referenceGenome(Rule rule) {
        String r = rule.shortName();
        return "chain:pad0|conv3x3-32-p1-relu@" + r + "|maxpool2|conv3x3-64-p1-relu@" + r + "|maxpool2|dense-10@"
                + (rule == Rule.HEBBIAN ? "bp" : r);
    }

    @Override
    public Integer call() throws Exception {
        DatasetCheck.ensureFashionMnist(System.err);
        Rule r = Rule.fromName(rule);
        GenomePlan plan = GenomePlan.of(GenomeCodec.fromCanonical(referenceGenome(r)), FashionMnist.SHAPE);
        DataSplits data = Datasets.load(FashionMnist.NAME);
        TrainingOptions opt = new TrainingOptions(epochs, 128, 0.05, 0.9, 5e-4, trainLimit, 0, 1);
        JsonObject out = Training.trainThen(plan, data, opt, new TrainingListener() {
            @Override
            public void batch(int epoch, int epochs, int done, int total) {
                System.err.printf(Locale.ROOT, "\r%s: epoch %d/%d %6d/%d images", rule, epoch, epochs, done, total);
            }
        }, (run, m) -> {
            System.err.println();
            JsonObject o = new JsonObject();
            o.addProperty("rule", r.shortName());
            o.addProperty("genome", referenceGenome(r));
            o.addProperty("threads", Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()));
            o.addProperty("train_examples", run.trainExamples());
            o.addProperty("epochs", epochs);
            o.addProperty(Metric.TRAIN_SECONDS.key(), run.trainSeconds());
            o.addProperty(Metric.TRAIN_IMAGES_PER_SECOND.key(), run.imagesPerSecond());
            o.addProperty(Metric.TEST_ACCURACY.key(), m.accuracy(data.test(), 0));
            return o;
        });
        if (json) {
            System.out.println(Output.json(out));
        } else {
            System.out.printf(Locale.ROOT, "%s: %.0f images/s (%.1f s), test accuracy %.4f%n", rule,
                    out.get(Metric.TRAIN_IMAGES_PER_SECOND.key()).getAsDouble(), out.get(Metric.TRAIN_SECONDS.key()).getAsDouble(),
                    out.get(Metric.TEST_ACCURACY.key()).getAsDouble());
        }
        return 0;
    }
}
