package dev.mixrule.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mixrule.cli.DatasetCheck;
import dev.mixrule.cli.Output;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.data.FashionMnist;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.metrics.Metric;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The controlled part of the mixing study: fixed architectures, every genome of a small set of rule
 * assignments (single-rule and mixed) trained with one recipe over several seeds. The seed drives
 * initialisation, feedback matrices and shuffling alike, so seed k of two genomes is a paired sample.
 * The best single-rule and the best mixed assignment are chosen by mean validation accuracy; their
 * test accuracies are compared by the paired difference over seeds.
 */
@Command(name = "mixtures", description = "Fixed architectures (LeNet-5, an NB-201 cell) under single-rule and mixed rule "
        + "assignments, same recipe, several seeds: mean and 95%% CI of valid and test accuracy (docs/results.md).")
final class MixturesBench implements Callable<Integer> {
    static final String LENET = "chain:pad2|conv5x5-6-p0-relu@%s|maxpool2|conv5x5-16-p0-relu@%s|maxpool2|conv5x5-120-p0-relu@%s"
            + "|dense-84-relu@%s|dense-10@%s";
    static final String CELL = "nb201:C8:N1:stem@%s:reduce@%s:head@%s:|nor_conv_3x3~0@%s|+|nor_conv_3x3~0@%s|nor_conv_1x1~1@%s|"
            + "+|skip_connect~0|nor_conv_3x3~1@%s|avg_pool_3x3~2|";

    @Option(names = "--set", defaultValue = "lenet", description = "lenet or nb201 (default: ${DEFAULT-VALUE})") String set;
    @Option(names = "--genome", description = "instead of the set: these canonical genomes (repeatable)") List<String> genomes;
    @Option(names = "--seeds", defaultValue = "5") int seeds;
    @Option(names = "--epochs", defaultValue = "2") int epochs;
    @Option(names = "--train-limit", defaultValue = "12000") int trainLimit;
    @Option(names = "--lr", defaultValue = "0.01") double lr;
    @Option(names = "--json") boolean json;

    /** name -> genome. Single-rule assignments first, then mixtures; bp only as the reference ceiling. */
    static Map<String, String> set(String name) {
        Map<String, String> m = new LinkedHashMap<>();
        switch (name) {
            case "lenet" -> {
                for (String r : List.of("bp", "fa", "usf", "brsf", "frsf", "dfa")) {
                    m.put(r, String.format(LENET, r, r, r, r, r));
                }
                m.put("mix:usf-convs,fa-dense", String.format(LENET, "usf", "usf", "usf", "fa", "fa"));
                m.put("mix:fa-convs,usf-dense", String.format(LENET, "fa", "fa", "fa", "usf", "usf"));
                m.put("mix:frsf-convs,dfa-dense", String.format(LENET, "frsf", "frsf", "frsf", "dfa", "dfa"));
                m.put("mix:dfa-convs,usf-dense", String.format(LENET, "dfa", "dfa", "dfa", "usf", "usf"));
                m.put("mix:usf,brsf,fa,frsf,dfa", String.format(LENET, "usf", "brsf", "fa", "frsf", "dfa"));
            }
            case "nb201" -> {
                for (String r : List.of("bp", "fa", "usf", "dfa")) {
                    m.put(r, String.format(CELL, r, r, r, r, r, r, r));
                }
                m.put("mix:usf-cell,fa-fixed", String.format(CELL, "fa", "fa", "fa", "usf", "usf", "usf", "usf"));
                m.put("mix:fa-cell,usf-fixed", String.format(CELL, "usf", "usf", "usf", "fa", "fa", "fa", "fa"));
                m.put("mix:usf/fa-edges,usf-fixed", String.format(CELL, "usf", "usf", "usf", "usf", "fa", "usf", "fa"));
            }
            default -> throw new IllegalArgumentException("--set: unknown set '" + name + "'; known: lenet, nb201");
        }
        return m;
    }

    @Override
    public Integer call() throws Exception {
        DatasetCheck.ensureFashionMnist(System.err);
        DataSplits data = Datasets.load(FashionMnist.NAME);
        Map<String, String> todo = new LinkedHashMap<>();
        if (genomes != null) {
            genomes.forEach(g -> todo.put(g, g));
        } else {
            todo.putAll(set(set));
        }
        long started = System.nanoTime();
        JsonArray rows = new JsonArray();
        Map<String, List<Double>> valid = new LinkedHashMap<>();
        Map<String, List<Double>> test = new LinkedHashMap<>();
        for (var e : todo.entrySet()) {
            rows.add(measure(e.getKey(), e.getValue(), data, valid, test));
        }
        JsonObject out = new JsonObject();
        out.addProperty("dataset", FashionMnist.NAME);
        out.addProperty("epochs", epochs);
        out.addProperty("train_limit", trainLimit);
        out.addProperty("learning_rate", lr);
        out.addProperty("seeds", seeds);
        out.add("genomes", rows);
        JsonObject cmp = comparison(valid, test);
        if (cmp != null) {
            out.add("comparison", cmp);
        }
        out.addProperty("wall_seconds", (System.nanoTime() - started) / 1e9);
        if (json) {
            System.out.println(Output.json(out));
        } else {
            print(out, valid, test);
        }
        return 0;
    }

    /** One genome over every seed: its row, and its valid and test accuracies added to `valid` and `test` by name. */
    private JsonObject measure(String name, String genome, DataSplits data, Map<String, List<Double>> valid,
            Map<String, List<Double>> test) {
        GenomePlan plan = GenomePlan.of(GenomeCodec.fromCanonical(genome), FashionMnist.SHAPE);
        JsonObject row = new JsonObject();
        row.addProperty("name", name);
        row.addProperty("genome", plan.canonicalText());
        row.addProperty("genome_id", GenomeCodec.id(plan.genome()));
        row.addProperty(Metric.BP_FRACTION.key(), plan.bpFraction());
        row.addProperty(Metric.EXACT_GRADIENT_FRACTION.key(), plan.exactGradientFraction());
        row.addProperty(Metric.PARAMETERS.key(), plan.parameters());
        List<Double> v = new ArrayList<>();
        List<Double> t = new ArrayList<>();
        for (long seed = 1; seed <= seeds; seed++) {
            TrainingOptions opt = new TrainingOptions(epochs, 64, lr, 0.9, 5e-4, trainLimit, 0, seed);
            double[] acc = Training.trainThen(plan, data, opt, TrainingListener.NONE,
                    (run, m) -> new double[] {run.validAccuracy(), m.accuracy(data.test(), 0)});
            v.add(acc[0]);
            t.add(acc[1]);
            System.err.printf(Locale.ROOT, "%-28s seed %d valid %.4f test %.4f%n", name, seed, acc[0], acc[1]);
        }
        valid.put(name, v);
        test.put(name, t);
        row.add(Metric.VALID_ACCURACY.key(), Interval.of(v).json());
        row.add(Metric.TEST_ACCURACY.key(), Interval.of(t).json());
        JsonArray perSeed = new JsonArray();
        t.forEach(perSeed::add);
        row.add("test_accuracy_by_seed", perSeed);
        return row;
    }

    /** Best of each kind by validation (bp is the reference, not a contender), compared on test, paired by seed; null without both. */
    private JsonObject comparison(Map<String, List<Double>> valid, Map<String, List<Double>> test) {
        String bestSingle = best(valid, k -> !k.startsWith("mix:") && !k.equals("bp"));
        String bestMix = best(valid, k -> k.startsWith("mix:"));
        if (bestSingle == null || bestMix == null) {
            return null;
        }
        List<Double> diff = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            diff.add(test.get(bestMix).get(i) - test.get(bestSingle).get(i));
        }
        JsonObject cmp = new JsonObject();
        cmp.addProperty("best_single_by_valid", bestSingle);
        cmp.addProperty("best_mixture_by_valid", bestMix);
        cmp.add("test_accuracy_mixture_minus_single", Interval.of(diff).json());
        return cmp;
    }

    private static void print(JsonObject out, Map<String, List<Double>> valid, Map<String, List<Double>> test) {
        System.out.printf("%-28s %6s %28s %28s%n", "assignment", "exact", "valid accuracy (95% CI)", "test accuracy (95% CI)");
        for (var e : out.getAsJsonArray("genomes")) {
            JsonObject r = e.getAsJsonObject();
            System.out.printf(Locale.ROOT, "%-28s %6.3f %28s %28s%n", r.get("name").getAsString(),
                    r.get(Metric.EXACT_GRADIENT_FRACTION.key()).getAsDouble(), Interval.of(valid.get(r.get("name").getAsString())).text(4),
                    Interval.of(test.get(r.get("name").getAsString())).text(4));
        }
        if (out.has("comparison")) {
            JsonObject c = out.getAsJsonObject("comparison");
            JsonObject d = c.getAsJsonObject("test_accuracy_mixture_minus_single");
            System.out.printf(Locale.ROOT, "best mixture by valid (%s) - best single rule by valid (%s), test accuracy: %+.4f, "
                    + "95%% CI [%+.4f, %+.4f] over %d paired seeds%n", c.get("best_mixture_by_valid").getAsString(),
                    c.get("best_single_by_valid").getAsString(), d.get("mean").getAsDouble(), d.get("ci95_low").getAsDouble(),
                    d.get("ci95_high").getAsDouble(), d.get("n").getAsInt());
        }
        System.out.printf(Locale.ROOT, "wall time %.0f s%n", out.get("wall_seconds").getAsDouble());
    }

    private static String best(Map<String, List<Double>> valid, Predicate<String> which) {
        String best = null;
        double bestMean = -1;
        for (var e : valid.entrySet()) {
            double m = e.getValue().stream().mapToDouble(Double::doubleValue).average().orElse(-1);
            if (which.test(e.getKey()) && m > bestMean) {
                bestMean = m;
                best = e.getKey();
            }
        }
        return best;
    }
}
