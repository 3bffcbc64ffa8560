package dev.mixrule.cli;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mixrule.core.data.DataSplits;
import dev.mixrule.core.data.Datasets;
import dev.mixrule.core.data.FashionMnist;
import dev.mixrule.core.genome.GenomeCodec;
import dev.mixrule.core.genome.GenomePlan;
import dev.mixrule.core.genome.Rule;
import dev.mixrule.core.model.FeedbackLayer;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.core.training.TrainingOptions;
import dev.mixrule.core.training.TrainingProgress;
import dev.mixrule.core.training.TrainingRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The reference results: LeNet-5 in every single rule on Fashion-MNIST, the learning rate chosen on the
 * validation split, the error reported on the test set, with BioTorch's alignment diagnostics.
 */
@Command(name = "rules", description = "LeNet-5 in every single rule on Fashion-MNIST: learning rate chosen on the "
        + "validation split, test error, and per-layer alignment angle and |B|/|W| (docs/results.md).")
final class RulesBench implements Callable<Integer> {
    static final Map<Rule, Double> BIOTORCH_ERROR = Map.of(Rule.BP, 9.2, Rule.FA, 13.06, Rule.USF, 9.69, Rule.BRSF, 10.02,
            Rule.FRSF, 9.61, Rule.DFA, 12.81);

    @Option(names = "--epochs", defaultValue = "5") int epochs;
    @Option(names = "--lrs", defaultValue = "0.01,0.05", split = ",", description = "learning rates to choose from") List<Double> lrs;
    @Option(names = "--rule", description = "only these rules (repeatable); default all") List<String> rules;
    @Option(names = "--train-limit", defaultValue = "0") int trainLimit;
    @Option(names = "--json") boolean json;

    static String lenet(Rule r) {
        String h = r == Rule.HEBBIAN ? "bp" : r.shortName();
        String s = r.shortName();
        return "chain:pad2|conv5x5-6-p0-relu@" + s + "|maxpool2|conv5x5-16-p0-relu@" + s + "|maxpool2|conv5x5-120-p0-relu@"
                + s + "|dense-84-relu@" + s + "|dense-10@" + h;
    }

    @Override
    public Integer call() throws Exception {
        DatasetCheck.ensureFashionMnist(System.err);
        DataSplits data = Datasets.load(FashionMnist.NAME);
        List<Rule> todo = rules == null ? List.of(Rule.values()) : rules.stream().map(Rule::fromName).toList();
        JsonArray out = new JsonArray();
        for (Rule r : todo) {
            GenomePlan plan = GenomePlan.of(GenomeCodec.fromCanonical(lenet(r)), FashionMnist.SHAPE);
            JsonObject best = null;
            for (double lr : lrs) {
                TrainingOptions opt = new TrainingOptions(epochs, 64, lr, 0.9, 5e-4, trainLimit, 0, 1);
                long t0 = System.nanoTime();
                JsonObject row = ComputeThread.call(() -> {
                    TrainingRun run = GenomeTrainer.train(plan, data, opt, new TrainingProgress() {
                        @Override
                        public void epochEnd(int e, int n, double loss, double tr, double va) {
                            System.err.printf(Locale.ROOT, "%s lr %.3f epoch %d/%d loss %.4f valid %.4f%n", r, lr, e, n, loss, va);
                        }
                    });
                    try (TrainedModel m = run.model()) {
                        JsonObject o = new JsonObject();
                        o.addProperty("rule", r.shortName());
                        o.addProperty("learning_rate", lr);
                        o.addProperty("valid_accuracy", run.validAccuracy());
                        double test = m.accuracy(data.test(), 0);
                        o.addProperty("test_accuracy", test);
                        o.addProperty("test_error_percent", 100 * (1 - test));
                        o.add("layers", diagnostics(m));
                        return o;
                    }
                });
                row.addProperty("seconds", (System.nanoTime() - t0) / 1e9);
                if (best == null || row.get("valid_accuracy").getAsDouble() > best.get("valid_accuracy").getAsDouble()) {
                    best = row;
                }
            }
            best.addProperty("genome", lenet(r));
            best.addProperty("epochs", epochs);
            if (BIOTORCH_ERROR.containsKey(r)) {
                best.addProperty("biotorch_test_error_percent", BIOTORCH_ERROR.get(r));
            }
            out.add(best);
            System.err.printf(Locale.ROOT, "== %s: lr %.3f chosen on valid (%.4f), test error %.2f%%%n", r,
                    best.get("learning_rate").getAsDouble(), best.get("valid_accuracy").getAsDouble(),
                    best.get("test_error_percent").getAsDouble());
        }
        if (json) {
            System.out.println(Output.json(out));
        } else {
            System.out.printf("%-8s %6s %9s %11s %14s  %s%n", "rule", "lr", "valid_acc", "test_err_%", "biotorch_err_%",
                    "alignment angle (deg) per layer");
            for (var e : out) {
                JsonObject o = e.getAsJsonObject();
                List<String> angles = new ArrayList<>();
                o.getAsJsonArray("layers").forEach(l -> angles.add(l.getAsJsonObject().has("angle_degrees")
                        ? String.format(Locale.ROOT, "%.1f", l.getAsJsonObject().get("angle_degrees").getAsDouble()) : "-"));
                System.out.printf(Locale.ROOT, "%-8s %6.3f %9.4f %11.2f %14s  %s%n", o.get("rule").getAsString(),
                        o.get("learning_rate").getAsDouble(), o.get("valid_accuracy").getAsDouble(),
                        o.get("test_error_percent").getAsDouble(),
                        o.has("biotorch_test_error_percent") ? o.get("biotorch_test_error_percent").getAsString() : "-",
                        String.join(" ", angles));
            }
        }
        return 0;
    }

    /** Per weight layer: angle between B and W in degrees, arccos(<B,W> / (|B||W|)), and |B|/|W| (BioTorch). */
    static JsonArray diagnostics(TrainedModel m) {
        JsonArray layers = new JsonArray();
        int i = 0;
        for (FeedbackLayer l : m.block().layers()) {
            JsonObject o = new JsonObject();
            o.addProperty("layer", i++);
            o.addProperty("rule", l.rule().rule().shortName());
            NDArray w = l.weightParameter().getArray();
            NDArray b = l.rule().sendsTrueError() ? w : l.feedbackMatrix(); // null: no B of W's shape (dfa, hebbian)
            if (b != null) {
                double dot = b.mul(w).sum().getFloat();
                double nb = Math.sqrt(b.square().sum().getFloat());
                double nw = Math.sqrt(w.square().sum().getFloat());
                o.addProperty("angle_degrees", Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, dot / (nb * nw))))));
                o.addProperty("norm_ratio", nb / nw);
            }
            layers.add(o);
        }
        return layers;
    }
}
