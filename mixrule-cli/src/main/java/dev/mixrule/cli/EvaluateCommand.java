package dev.mixrule.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mixrule.core.attacks.Classifier;
import dev.mixrule.core.evaluation.Evaluator;
import dev.mixrule.core.evaluation.Evaluators;
import dev.mixrule.core.evaluation.ReferenceModels;
import dev.mixrule.core.evaluation.RobustnessEvaluator;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.recipe.TrainingOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the evaluators in-process on a checkpoint. */
@Command(name = "evaluate", description = "Evaluate a checkpoint in-process: clean accuracy, robustness (screening/full: "
        + "FGSM/PGD/APGD/Square/transfer; standard: AutoAttack's APGD-CE/APGD-T/FAB-T/Square plus transfer) with the per-example "
        + "worst case and trust checks, noise, cost (progress on stderr). Robustness measures the test split unless --split valid.")
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "a checkpoint written by train --save or a trainer") Path checkpoint;
    @Option(names = "--evaluators", defaultValue = "accuracy,robustness,noise,cost", split = ",") List<String> evaluators;
    @Option(names = "--protocol", defaultValue = "screening", description = "screening (500 examples), full (2,000) or standard "
            + "(AutoAttack's standard attacks, 2,000)") String protocol;
    @Option(names = "--split", defaultValue = "test", description = "split robustness attacks: test (reports; plain metric names) or "
            + "valid (what search may read; metrics prefixed valid_)") String split;
    @Option(names = "--examples", defaultValue = "0", description = "cap the examples (0 = the protocol's)") int examples;
    @Option(names = "--transfer-source", description = "checkpoint of the transfer attack's source (default: the model's backprop "
            + "twin, trained here with the recipe below; costs one training of the architecture)") Path transferSource;
    @picocli.CommandLine.Mixin RecipeOptions recipeOptions; // the recipe the checkpoint was trained with (trains the backprop twin)
    @Option(names = "--json") boolean json;

    @Override
    public Integer call() throws Exception {
        if (checkpointMissing(checkpoint)) {
            return 2;
        }
        RobustnessEvaluator.Split measured = RobustnessEvaluator.Split.fromName(split);
        TrainingOptions recipe = recipeOptions.toOptions();
        JsonObject out = ComputeThread.call(() -> {
            try (InputStream in = Files.newInputStream(checkpoint); TrainedModel model = TrainedModel.load(in, checkpoint.toString())) {
                DataSplits data = dataOf(model);
                TrainedModel source = null;
                if (transferSource != null) {
                    try (InputStream s = Files.newInputStream(transferSource)) {
                        source = TrainedModel.load(s, transferSource.toString());
                    }
                }
                try {
                    JsonObject o = new JsonObject();
                    o.addProperty("genome_id", GenomeCodec.id(model.plan().genome()));
                    o.addProperty("canonical", GenomeCodec.toCanonical(model.plan().genome()));
                    o.addProperty("dataset", model.dataset());
                    JsonArray reasons = new JsonArray();
                    JsonArray attacks = new JsonArray();
                    JsonArray ladder = new JsonArray();
                    JsonObject metrics = new JsonObject();
                    JsonArray protocols = new JsonArray();
                    JsonArray failures = new JsonArray();
                    for (String name : evaluators) {
                        System.err.println("running " + name + " ...");
                        Evaluator e;
                        if (name.equals(RobustnessEvaluator.NAME)) {
                            TrainedModel src = source;
                            var cfg = RobustnessEvaluator.config(protocol, measured, model.dataset(),
                                    (m, d, rec) -> src != null ? new RobustnessEvaluator.Source(Classifier.of(src), transferSource.toString())
                                            : ReferenceModels.twinSource(m, d, rec));
                            e = new RobustnessEvaluator(cfg);
                            o.addProperty("eps", cfg.eps());
                            o.addProperty("split", measured.label());
                        } else {
                            e = Evaluators.get(name, protocol, measured);
                        }
                        Evaluator.Result r = e.evaluate(model, data, new Evaluator.Settings(examples, recipe));
                        protocols.add(e.name() + " v" + e.version() + ": " + r.protocol());
                        if (r.failed()) {
                            failures.add(e.name() + ": " + r.failureReason());
                            continue;
                        }
                        r.unreliableReasons().forEach(reasons::add);
                        String prefix = e.name().equals(RobustnessEvaluator.NAME) ? measured.prefix() : "";
                        for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
                            metrics.addProperty(m.getKey(), m.getValue());
                            String k = m.getKey().substring(m.getKey().startsWith(prefix) ? prefix.length() : 0);
                            if (!e.name().equals(RobustnessEvaluator.NAME)) {
                                continue;
                            }
                            if (k.startsWith("pgd_accuracy_eps")) {
                                JsonObject l = new JsonObject();
                                l.addProperty("eps", Double.parseDouble(k.substring("pgd_accuracy_eps".length())));
                                l.addProperty("robust_accuracy", m.getValue());
                                ladder.add(l);
                            } else if (k.equals(RobustnessEvaluator.WORST_CASE)) {
                                o.addProperty(m.getKey(), m.getValue());
                            } else if (k.endsWith("_accuracy") && !k.equals("clean_accuracy")) {
                                JsonObject a = new JsonObject();
                                a.addProperty("name", k.substring(0, k.length() - "_accuracy".length()));
                                a.addProperty("eps", ((RobustnessEvaluator) e).eps());
                                a.addProperty("robust_accuracy", m.getValue());
                                attacks.add(a);
                            }
                        }
                        if (e.name().equals(RobustnessEvaluator.NAME)) {
                            o.addProperty("examples", r.examples());
                        }
                    }
                    String clean = measured.prefix() + "clean_accuracy";
                    if (metrics.has(clean)) {
                        o.addProperty("clean_accuracy", metrics.get(clean).getAsDouble());
                    } else if (metrics.has("test_accuracy")) {
                        o.addProperty("clean_accuracy", metrics.get("test_accuracy").getAsDouble());
                    }
                    o.add("attacks", attacks);
                    o.add("pgd_eps_ladder", ladder);
                    o.addProperty("unreliable", !reasons.isEmpty());
                    o.add("unreliable_reasons", reasons);
                    o.add("metrics", metrics);
                    o.add("protocols", protocols);
                    o.addProperty("status", failures.isEmpty() ? "succeeded" : "failed");
                    o.add("failures", failures);
                    return o;
                } finally {
                    if (source != null) {
                        source.close();
                    }
                }
            }
        });
        boolean failed = out.get("status").getAsString().equals("failed");
        if (json) {
            System.out.println(Output.json(out));
        } else {
            out.getAsJsonArray("failures").forEach(f -> System.out.println("FAILED " + f.getAsString()));
            System.out.printf(Locale.ROOT, "%s on %s: clean %.4f%n", out.get("genome_id").getAsString(), out.get("dataset").getAsString(),
                    out.has("clean_accuracy") ? out.get("clean_accuracy").getAsDouble() : Double.NaN);
            out.getAsJsonArray("attacks").forEach(a -> System.out.printf(Locale.ROOT, "  %-9s eps %.4f  robust accuracy %.4f%n",
                    a.getAsJsonObject().get("name").getAsString(), a.getAsJsonObject().get("eps").getAsDouble(),
                    a.getAsJsonObject().get("robust_accuracy").getAsDouble()));
            out.keySet().stream().filter(k -> k.endsWith(RobustnessEvaluator.WORST_CASE)).forEach(k -> System.out.printf(Locale.ROOT,
                    "  worst case over all attacks, per example: robust accuracy %.4f%n", out.get(k).getAsDouble()));
            out.getAsJsonArray("pgd_eps_ladder").forEach(a -> System.out.printf(Locale.ROOT, "  pgd       eps %.4f  robust accuracy %.4f%n",
                    a.getAsJsonObject().get("eps").getAsDouble(), a.getAsJsonObject().get("robust_accuracy").getAsDouble()));
            System.out.println(out.get("unreliable").getAsBoolean() ? "UNRELIABLE: " + out.get("unreliable_reasons") : "reliable: no trust check fired");
        }
        return failed ? 1 : 0; // a failed evaluation (e.g. an attack that cannot differentiate the model) is not a result
    }

    /** Says what to do when there is no checkpoint at the path (for every command that reads one). */
    public static boolean checkpointMissing(Path checkpoint) {
        if (Files.isRegularFile(checkpoint)) {
            return false;
        }
        System.err.println("error: no such checkpoint: " + checkpoint + " (write one with ./mixrule train --save PATH)");
        return true;
    }

    /** The splits of the dataset a checkpoint was trained on (Fashion-MNIST installed first if missing). */
    public static DataSplits dataOf(TrainedModel model) throws Exception {
        if (model.dataset().equals("fashion-mnist")) {
            DatasetCheck.ensureFashionMnist(System.err);
        }
        return Datasets.load(model.dataset());
    }
}
