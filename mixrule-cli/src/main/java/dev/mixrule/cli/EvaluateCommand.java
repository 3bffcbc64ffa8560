package dev.mixrule.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mixrule.core.attacks.Classifier;
import dev.mixrule.core.data.DataSplits;
import dev.mixrule.core.data.Datasets;
import dev.mixrule.core.evaluation.Evaluator;
import dev.mixrule.core.evaluation.Evaluators;
import dev.mixrule.core.evaluation.ReferenceModels;
import dev.mixrule.core.evaluation.RobustnessEvaluator;
import dev.mixrule.core.genome.GenomeCodec;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.TrainedModel;
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
@Command(name = "evaluate", description = "Evaluate a checkpoint in-process: clean accuracy, FGSM/PGD/APGD/Square/transfer "
        + "robustness with trust checks, noise, cost (progress on stderr).")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "a checkpoint written by train --save or a trainer") Path checkpoint;
    @Option(names = "--evaluators", defaultValue = "accuracy,robustness,noise,cost", split = ",") List<String> evaluators;
    @Option(names = "--protocol", defaultValue = "screening", description = "screening (500 examples) or full (2,000)") String protocol;
    @Option(names = "--examples", defaultValue = "0", description = "cap the examples (0 = the protocol's)") int examples;
    @Option(names = "--transfer-source", description = "checkpoint of the transfer attack's source (default: the dataset's BP reference CNN)") Path transferSource;
    @Option(names = "--json") boolean json;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(checkpoint)) {
            System.err.println("error: no such checkpoint: " + checkpoint + " (write one with ./mixrule train --save PATH)");
            return 2;
        }
        JsonObject out = ComputeThread.call(() -> {
            try (InputStream in = Files.newInputStream(checkpoint); TrainedModel model = TrainedModel.load(in, checkpoint.toString())) {
                if (model.dataset().equals("fashion-mnist")) {
                    DatasetCheck.ensureFashionMnist(System.err);
                }
                DataSplits data = Datasets.load(model.dataset());
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
                    for (String name : evaluators) {
                        System.err.println("running " + name + " ...");
                        Evaluator e;
                        if (name.equals(RobustnessEvaluator.NAME)) {
                            TrainedModel src = source;
                            var cfg = RobustnessEvaluator.config(protocol, model.dataset(),
                                    m -> src != null ? Classifier.of(src) : ReferenceModels.sourceFor(m));
                            e = new RobustnessEvaluator(cfg);
                            o.addProperty("eps", cfg.eps());
                        } else {
                            e = Evaluators.get(name, protocol);
                        }
                        Evaluator.Result r = e.evaluate(model, data, new Evaluator.Settings(examples));
                        protocols.add(e.name() + " v" + e.version() + ": " + r.protocol());
                        r.unreliableReasons().forEach(reasons::add);
                        for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
                            metrics.addProperty(m.getKey(), m.getValue());
                            String k = m.getKey();
                            if (k.startsWith("pgd_accuracy_eps")) {
                                JsonObject l = new JsonObject();
                                l.addProperty("eps", Double.parseDouble(k.substring("pgd_accuracy_eps".length())));
                                l.addProperty("robust_accuracy", m.getValue());
                                ladder.add(l);
                            } else if (e.name().equals(RobustnessEvaluator.NAME) && k.endsWith("_accuracy") && !k.equals("clean_accuracy")) {
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
                    if (metrics.has("clean_accuracy")) {
                        o.addProperty("clean_accuracy", metrics.get("clean_accuracy").getAsDouble());
                    } else if (metrics.has("test_accuracy")) {
                        o.addProperty("clean_accuracy", metrics.get("test_accuracy").getAsDouble());
                    }
                    o.add("attacks", attacks);
                    o.add("pgd_eps_ladder", ladder);
                    o.addProperty("unreliable", !reasons.isEmpty());
                    o.add("unreliable_reasons", reasons);
                    o.add("metrics", metrics);
                    o.add("protocols", protocols);
                    return o;
                } finally {
                    if (source != null) {
                        source.close();
                    }
                }
            }
        });
        if (json) {
            System.out.println(Output.json(out));
        } else {
            System.out.printf(Locale.ROOT, "%s on %s: clean %.4f%n", out.get("genome_id").getAsString(), out.get("dataset").getAsString(),
                    out.has("clean_accuracy") ? out.get("clean_accuracy").getAsDouble() : Double.NaN);
            out.getAsJsonArray("attacks").forEach(a -> System.out.printf(Locale.ROOT, "  %-9s eps %.4f  robust accuracy %.4f%n",
                    a.getAsJsonObject().get("name").getAsString(), a.getAsJsonObject().get("eps").getAsDouble(),
                    a.getAsJsonObject().get("robust_accuracy").getAsDouble()));
            out.getAsJsonArray("pgd_eps_ladder").forEach(a -> System.out.printf(Locale.ROOT, "  pgd       eps %.4f  robust accuracy %.4f%n",
                    a.getAsJsonObject().get("eps").getAsDouble(), a.getAsJsonObject().get("robust_accuracy").getAsDouble()));
            System.out.println(out.get("unreliable").getAsBoolean() ? "UNRELIABLE: " + out.get("unreliable_reasons") : "reliable: no trust check fired");
        }
        return 0;
    }
}
