package dev.mixrule.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.LayerAlignment;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.core.training.TrainingRun;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.kernel.metrics.Metric;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import dev.mixrule.proto.Genome;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Train one genome in this process. */
@Command(name = "train", description = "Train one genome in-process and report its accuracy (progress on stderr).")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--genome", required = true, description = "genome file (JSON or canonical text)") Path genomeFile;
    @Option(names = "--dataset", defaultValue = "fashion-mnist") String dataset;
    @picocli.CommandLine.Mixin RecipeOptions recipe;
    @Option(names = "--save", description = "write the checkpoint here") Path save;
    @Option(names = "--json") boolean json;

    @Override
    public Integer call() throws Exception {
        if (dataset.equals("fashion-mnist")) {
            DatasetCheck.ensureFashionMnist(System.err);
        }
        Genome g = GenomeCodec.parse(Files.readString(genomeFile));
        GenomePlan plan = GenomePlan.of(g, Datasets.shape(dataset));
        DataSplits data = Datasets.load(dataset);
        TrainingOptions opt = recipe.toOptions();
        long t0 = System.nanoTime();
        JsonObject out = ComputeThread.call(() -> {
            TrainingRun run = GenomeTrainer.train(plan, data, opt, PROGRESS);
            try (TrainedModel m = run.model()) {
                double test = m.accuracy(data.test(), 0);
                save(m);
                return report(g, plan, opt, run, test, t0);
            }
        });
        if (json) {
            System.out.println(Output.json(out));
        } else {
            printText(out);
        }
        return 0;
    }

    /** Progress on stderr: a running line per batch report, one line per epoch. */
    private static final TrainingListener PROGRESS = new TrainingListener() {
        @Override
        public void batch(int epoch, int epochs, int done, int total) {
            System.err.printf(Locale.ROOT, "\repoch %d/%d  %6d/%d images", epoch, epochs, done, total);
        }

        @Override
        public void epochEnd(int epoch, int epochs, double loss, double trainAcc, double validAcc) {
            System.err.printf(Locale.ROOT, "\repoch %d/%d  loss %.4f  train acc %.4f  valid acc %.4f%n", epoch,
                    epochs, loss, trainAcc, validAcc);
        }
    };

    /** Writes the checkpoint where --save says (nothing without it). */
    private void save(TrainedModel m) throws IOException {
        if (save == null) {
            return;
        }
        if (save.getParent() != null) {
            Files.createDirectories(save.getParent());
        }
        try (OutputStream os = Files.newOutputStream(save)) {
            m.save(os);
        }
    }

    private JsonObject report(Genome g, GenomePlan plan, TrainingOptions opt, TrainingRun run, double test, long t0) {
        JsonObject o = new JsonObject();
        o.addProperty("genome_id", GenomeCodec.id(g));
        o.addProperty("canonical", GenomeCodec.toCanonical(g));
        o.addProperty("dataset", dataset);
        o.addProperty(Metric.TEST_ACCURACY.key(), test);
        o.addProperty(Metric.VALID_ACCURACY.key(), run.validAccuracy());
        o.addProperty(Metric.TRAIN_ACCURACY.key(), run.trainAccuracy());
        o.addProperty(Metric.TRAIN_LOSS.key(), run.trainLoss());
        o.addProperty(Metric.BP_FRACTION.key(), plan.bpFraction());
        o.addProperty(Metric.EXACT_GRADIENT_FRACTION.key(), plan.exactGradientFraction());
        o.add("layer_alignment", layerAlignment(run));
        o.addProperty("init", opt.init().shortName());
        JsonObject fr = new JsonObject();
        for (Map.Entry<Rule, Double> e : plan.ruleFractions().entrySet()) {
            fr.addProperty(e.getKey().shortName(), e.getValue());
        }
        o.add("rule_fractions", fr);
        o.addProperty(Metric.PARAMETERS.key(), plan.parameters());
        o.addProperty(Metric.MACS.key(), plan.macs());
        o.addProperty("epochs", opt.epochs());
        o.addProperty("train_examples", run.trainExamples());
        o.addProperty(Metric.TRAIN_IMAGES_PER_SECOND.key(), run.imagesPerSecond());
        o.addProperty("seconds", (System.nanoTime() - t0) / 1e9);
        if (save != null) {
            o.addProperty("checkpoint", save.toAbsolutePath().toString());
        }
        return o;
    }

    private static JsonArray layerAlignment(TrainingRun run) {
        JsonArray layers = new JsonArray();
        for (LayerAlignment a : run.layerAlignment()) {
            JsonObject l = new JsonObject();
            l.addProperty("layer", a.layer());
            l.addProperty("rule", a.rule());
            l.addProperty(Metric.PARAMETERS.key(), a.parameters());
            l.addProperty("exact_gradient", a.exactGradient());
            JsonArray angles = new JsonArray();
            a.angleDegrees().forEach(angles::add);
            l.add("angle_degrees", angles);
            layers.add(l);
        }
        return layers;
    }

    private static void printText(JsonObject out) {
        System.out.printf(Locale.ROOT, "%s: test accuracy %.4f, valid %.4f, exact_gradient_fraction %.3f, %.0f images/s, %.1f s%n",
                out.get("genome_id").getAsString(), out.get(Metric.TEST_ACCURACY.key()).getAsDouble(),
                out.get(Metric.VALID_ACCURACY.key()).getAsDouble(), out.get(Metric.EXACT_GRADIENT_FRACTION.key()).getAsDouble(),
                out.get(Metric.TRAIN_IMAGES_PER_SECOND.key()).getAsDouble(), out.get("seconds").getAsDouble());
        for (var l : out.getAsJsonArray("layer_alignment")) {
            JsonObject a = l.getAsJsonObject();
            System.out.printf(Locale.ROOT, "  %-22s %-8s exact %-5s angle to the true gradient by epoch %s%n",
                    a.get("layer").getAsString(), a.get("rule").getAsString(), a.get("exact_gradient").getAsBoolean(),
                    a.getAsJsonArray("angle_degrees").asList().stream()
                            .map(d -> String.format(Locale.ROOT, "%.1f", d.getAsDouble())).toList());
        }
    }
}
