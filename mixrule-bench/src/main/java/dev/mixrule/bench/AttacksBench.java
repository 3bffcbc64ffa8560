package dev.mixrule.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mixrule.cli.EvaluateCommand;
import dev.mixrule.cli.Output;
import dev.mixrule.core.attacks.Attack;
import dev.mixrule.core.attacks.Classifier;
import dev.mixrule.core.evaluation.RobustnessEvaluator;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.Tensors;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.ImageDataset;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Seconds per attack of a robustness protocol on one checkpoint, each attack on the same test images, with
 * how many images it left robust: where a protocol's time goes (docs/robustness.md). The transfer attack
 * is left out (its cost is training the backprop twin, see bench train).
 */
@Command(name = "attacks", description = "Seconds and robust images per attack of a robustness protocol on one checkpoint"
        + " (test split; transfer left out).")
final class AttacksBench implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "a checkpoint written by train --save") Path checkpoint;
    @Option(names = "--protocol", defaultValue = "standard", description = "screening, full or standard") String protocol;
    @Option(names = "--examples", defaultValue = "250", description = "test images attacked") int examples;
    @Option(names = "--json") boolean json;

    @Override
    public Integer call() throws Exception {
        if (EvaluateCommand.checkpointMissing(checkpoint)) {
            return 2;
        }
        if (examples < 1) {
            throw new IllegalArgumentException("--examples: " + examples + " must be >= 1");
        }
        JsonObject out = ComputeThread.call(() -> {
            try (InputStream in = Files.newInputStream(checkpoint); TrainedModel model = TrainedModel.load(in, checkpoint.toString())) {
                return measure(model);
            }
        });
        if (json) {
            System.out.println(Output.json(out));
        } else {
            print(out);
        }
        return 0;
    }

    /** Every attack of the protocol on the same first `examples` test images, timed one by one. */
    private JsonObject measure(TrainedModel model) throws Exception {
        DataSplits data = EvaluateCommand.dataOf(model);
        RobustnessEvaluator.Config config = RobustnessEvaluator.config(protocol, RobustnessEvaluator.Split.TEST, model.dataset(), null);
        RobustnessEvaluator evaluator = new RobustnessEvaluator(config);
        Classifier f = Classifier.of(model);
        ImageDataset images = data.test().limit(examples);
        int n = images.size();
        JsonObject o = new JsonObject();
        o.addProperty("canonical", model.plan().canonicalText());
        o.addProperty("protocol", protocol);
        o.addProperty("examples", n);
        o.addProperty("eps", config.eps());
        o.addProperty("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        JsonArray attacks = new JsonArray();
        try (NDScope scope = new NDScope()) {
            NDArray x = Tensors.images(images, f.manager(), 0, n);
            NDArray y = Tensors.labels(images, f.manager(), 0, n);
            for (String name : config.attacks()) {
                Attack a = evaluator.attack(name, null);
                if (a != null) {
                    attacks.add(time(a, f, x, y, config.eps(), n));
                }
            }
        }
        o.add("attacks", attacks);
        double total = 0;
        for (var a : attacks) {
            total += a.getAsJsonObject().get("seconds").getAsDouble();
        }
        o.addProperty("total_seconds", total);
        return o;
    }

    /** One attack's seconds and how many of the n images it left robust. */
    private static JsonObject time(Attack a, Classifier f, NDArray x, NDArray y, float eps, int n) {
        System.err.printf(Locale.ROOT, "%s on %d images ...%n", a.name(), n);
        long t0 = System.nanoTime();
        boolean[] robust;
        try (NDScope s = new NDScope()) {
            robust = a.run(f, x, y, eps);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int kept = 0;
        for (boolean b : robust) {
            kept += b ? 1 : 0;
        }
        JsonObject r = new JsonObject();
        r.addProperty("attack", a.name());
        r.addProperty("settings", a.settings());
        r.addProperty("seconds", seconds);
        r.addProperty("robust", kept);
        return r;
    }

    private void print(JsonObject out) {
        System.out.printf(Locale.ROOT, "%s protocol, %d test images, eps %.4f, %s%n", protocol, out.get("examples").getAsInt(),
                out.get("eps").getAsDouble(), out.get("canonical").getAsString());
        System.out.printf("%-8s %9s %9s%n", "attack", "seconds", "robust");
        for (var e : out.getAsJsonArray("attacks")) {
            JsonObject r = e.getAsJsonObject();
            System.out.printf(Locale.ROOT, "%-8s %9.1f %5d/%d%n", r.get("attack").getAsString(), r.get("seconds").getAsDouble(),
                    r.get("robust").getAsInt(), out.get("examples").getAsInt());
        }
        System.out.printf(Locale.ROOT, "total    %9.1f s%n", out.get("total_seconds").getAsDouble());
    }
}
