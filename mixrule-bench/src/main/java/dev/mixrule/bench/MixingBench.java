package dev.mixrule.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mixrule.cli.DatasetCheck;
import dev.mixrule.cli.Output;
import dev.mixrule.core.evaluation.Evaluator;
import dev.mixrule.core.evaluation.Evaluators;
import dev.mixrule.core.evaluation.RobustnessEvaluator;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.core.training.TrainingRun;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.data.FashionMnist;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.kernel.metrics.Metric;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import dev.mixrule.kernel.search.Objective;
import dev.mixrule.kernel.search.SearchStrategy;
import dev.mixrule.kernel.search.Strategies;
import dev.mixrule.kernel.space.ChainSpace;
import dev.mixrule.kernel.space.ExactGradientCap;
import dev.mixrule.kernel.space.SearchSpace;
import dev.mixrule.kernel.space.UniformRuleSpace;
import dev.mixrule.proto.Genome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The headline experiment: on Fashion-MNIST with the chain space, a search that picks a learning rule per
 * layer ("mixed") against one that picks one rule per network ("single"), with the same strategy, budget,
 * training recipe and seeds. BP is not allowed in either arm, so bp_fraction is 0 for every network, and both
 * arms share one cap on exact_gradient_fraction (the classifier always trains by the true gradient, so
 * without a cap an arm could win with networks whose classifier holds nearly every parameter). Each arm's winner (by
 * validation accuracy) is then measured on the whole test set and attacked (robustness screening protocol).
 */
@Command(name = "mixing", description = "Mixed (a rule per layer) vs single-rule search on Fashion-MNIST, equal budget, "
        + "bp_fraction 0 and the same exact_gradient_fraction cap in both arms; prints accuracy and robust accuracy of each arm's winner (docs/results.md).")
final class MixingBench implements Callable<Integer> {
    @Option(names = "--budget", defaultValue = "12", description = "networks trained per arm and seed") int budget;
    @Option(names = "--seeds", defaultValue = "5", description = "seeds first-seed .. first-seed + seeds - 1") int seeds;
    @Option(names = "--first-seed", defaultValue = "1", description = "so that seeds can run in separate processes") int firstSeed;
    @Option(names = "--protocol", defaultValue = "standard", description = "robustness protocol for the winners, on the test split: "
            + "screening, full or standard (default: ${DEFAULT-VALUE}, AutoAttack's attacks)") String protocol;
    @Option(names = "--examples", defaultValue = "2000", description = "test images the winners are attacked on (default: ${DEFAULT-VALUE})") int examples;
    @Option(names = "--epochs", defaultValue = "2") int epochs;
    @Option(names = "--train-limit", defaultValue = "12000") int trainLimit;
    @Option(names = "--lr", defaultValue = "0.01") double lr;
    @Option(names = "--strategy", defaultValue = "random") String strategy;
    @Option(names = "--rules", defaultValue = "fa,usf,brsf,frsf,dfa,hebbian", split = ",") List<String> ruleNames;
    @Option(names = "--max-exact-gradient-fraction", defaultValue = "0.05", description = "both arms propose only genomes whose"
            + " exact_gradient_fraction is at most this, so the arms compare at (nearly) equal backprop; 1 = no cap"
            + " (default: ${DEFAULT-VALUE})") double maxExact;
    @Option(names = "--arms", defaultValue = "mixed,single", split = ",", description = "which arms to run (default: ${DEFAULT-VALUE});"
            + " one arm per process splits the work evenly, bench/results_tables.py pairs them by seed") List<String> arms;
    @Option(names = "--json") boolean json;

    @Override
    public Integer call() throws Exception {
        DatasetCheck.ensureFashionMnist(System.err);
        DataSplits data = Datasets.load(FashionMnist.NAME);
        List<Rule> rules = checkedRules();
        Evaluator robustness = Evaluators.get("robustness", protocol, RobustnessEvaluator.Split.TEST); // winners are reported on test
        long started = System.nanoTime();
        JsonArray rows = new JsonArray();
        for (int seed = firstSeed; seed < firstSeed + seeds; seed++) {
            for (String arm : arms) {
                rows.add(search(arm, seed, space(arm, rules), data, robustness));
            }
        }
        JsonObject out = new JsonObject();
        out.addProperty("dataset", FashionMnist.NAME);
        out.addProperty("space", "chain");
        out.addProperty("strategy", strategy);
        out.addProperty("budget_per_arm", budget);
        out.addProperty("epochs", epochs);
        out.addProperty("train_limit", trainLimit);
        out.addProperty("learning_rate", lr);
        out.addProperty("rules", String.join(",", ruleNames));
        out.addProperty("max_exact_gradient_fraction", maxExact);
        out.addProperty("wall_seconds", (System.nanoTime() - started) / 1e9);
        out.addProperty("robustness_protocol", protocol);
        out.addProperty("robustness_examples", examples);
        out.add("runs", rows);
        JsonObject sum = new JsonObject();
        for (String m : List.of(Metric.VALID_ACCURACY.key(), Metric.TEST_ACCURACY.key(), Metric.APGD_ACCURACY.key(), RobustnessEvaluator.WORST_CASE, Metric.EXACT_GRADIENT_FRACTION.key())) {
            sum.add(m, summary(rows, m));
        }
        out.add("summary", sum);
        if (json) {
            System.out.println(Output.json(out));
        } else {
            print(out);
        }
        return 0;
    }

    /** --rules without bp (both arms hold bp_fraction at 0) and --arms of known arms only. */
    private List<Rule> checkedRules() {
        List<Rule> rules = ruleNames.stream().map(Rule::fromName).toList();
        if (rules.contains(Rule.BP)) {
            throw new IllegalArgumentException("--rules: leave bp out; both arms hold bp_fraction at 0");
        }
        for (String a : arms) {
            if (!a.equals("mixed") && !a.equals("single")) {
                throw new IllegalArgumentException("--arms: unknown arm '" + a + "'; known: mixed, single");
            }
        }
        return rules;
    }

    /** The chain space; one rule per network in the single arm; the same exact-gradient cap in both arms. */
    private SearchSpace space(String arm, List<Rule> rules) {
        SearchSpace space = new ChainSpace(FashionMnist.SHAPE, rules);
        if (arm.equals("single")) {
            space = new UniformRuleSpace(space, rules);
        }
        return new ExactGradientCap(space, FashionMnist.SHAPE, maxExact);
    }

    private static void print(JsonObject out) {
        System.out.printf("%-6s %4s %9s %9s %9s %9s %10s %6s  %s%n", "arm", "seed", "valid", "test", "pgd", "apgd", "worst_case",
                "exact", "winner");
        for (var e : out.getAsJsonArray("runs")) {
            JsonObject r = e.getAsJsonObject();
            System.out.printf(Locale.ROOT, "%-6s %4d %9.4f %9.4f %9.4f %9.4f %10.4f %6.3f  %s%n", r.get("arm").getAsString(),
                    r.get("seed").getAsInt(), r.get(Metric.VALID_ACCURACY.key()).getAsDouble(), r.get(Metric.TEST_ACCURACY.key()).getAsDouble(),
                    num(r, Metric.PGD_ACCURACY.key()), num(r, Metric.APGD_ACCURACY.key()), num(r, RobustnessEvaluator.WORST_CASE),
                    r.get(Metric.EXACT_GRADIENT_FRACTION.key()).getAsDouble(), r.get("genome").getAsString());
            // the trust checks travel with the numbers they qualify
            if (r.has("robustness_failure_reason")) {
                System.out.println("       robustness FAILED: " + r.get("robustness_failure_reason").getAsString());
            }
            r.getAsJsonArray("unreliable_reasons").forEach(u -> System.out.println("       UNRELIABLE: " + u.getAsString()));
        }
        out.getAsJsonObject("summary").entrySet().forEach(en -> {
            JsonObject d = en.getValue().getAsJsonObject().getAsJsonObject("mixed_minus_single");
            System.out.printf(Locale.ROOT, "%-24s mixed - single: %+.4f, 95%% CI [%+.4f, %+.4f] over %d paired seeds%n", en.getKey(),
                    d.get("mean").getAsDouble(), d.get("ci95_low").getAsDouble(), d.get("ci95_high").getAsDouble(), d.get("n").getAsInt());
        });
        System.out.printf(Locale.ROOT, "wall time %.0f s%n", out.get("wall_seconds").getAsDouble());
    }

    private TrainingOptions recipe(long seed) {
        return new TrainingOptions(epochs, 64, lr, 0.9, 5e-4, trainLimit, 0, seed);
    }

    /** Per arm, the mean and 95% CI over seeds of a winner metric, and of the paired difference mixed - single. */
    static JsonObject summary(JsonArray rows, String metric) {
        Map<String, Map<Integer, Double>> byArm = new TreeMap<>();
        for (var e : rows) {
            JsonObject r = e.getAsJsonObject();
            if (r.has(metric)) {
                byArm.computeIfAbsent(r.get("arm").getAsString(), k -> new TreeMap<>())
                        .put(r.get("seed").getAsInt(), r.get(metric).getAsDouble());
            }
        }
        JsonObject o = new JsonObject();
        byArm.forEach((arm, v) -> o.add(arm, Interval.of(List.copyOf(v.values())).json()));
        var mixed = byArm.getOrDefault("mixed", Map.of());
        var single = byArm.getOrDefault("single", Map.of());
        List<Double> diff = mixed.keySet().stream().filter(single::containsKey).map(k -> mixed.get(k) - single.get(k)).toList();
        o.add("mixed_minus_single", Interval.of(diff).json());
        return o;
    }

    private static double num(JsonObject r, String key) {
        return r.has(key) ? r.get(key).getAsDouble() : Double.NaN;
    }

    /** One arm and seed: the search, then its winner (by validation) on test and under attack. */
    private JsonObject search(String arm, int seed, SearchSpace space, DataSplits data, Evaluator robustness) {
        ArmSearch a = new ArmSearch(arm, seed);
        a.run(space, data);
        Genome winner = a.best;
        GenomePlan plan = GenomePlan.of(winner, FashionMnist.SHAPE);
        long evaluationStarted = System.nanoTime();
        System.err.printf(Locale.ROOT, "[%s seed %d] winner %s: test accuracy, then its backprop twin (transfer source) and the %s"
                + " protocol on %d test images (minutes per winner on a CPU) ...%n", arm, seed, GenomeCodec.toCanonical(winner), protocol, examples);
        JsonObject row = ComputeThread.call(() -> {
            try (TrainedModel m = a.bestModel) {
                JsonObject o = new JsonObject();
                o.addProperty(Metric.VALID_ACCURACY.key(), a.bestValid);
                o.addProperty(Metric.TEST_ACCURACY.key(), m.accuracy(data.test(), 0));
                // the transfer source is the winner's backprop twin, trained with the winner's recipe
                addRobustness(o, robustness.evaluate(m, data, new Evaluator.Settings(examples, recipe(seed))));
                return o;
            }
        });
        row.addProperty("arm", arm);
        row.addProperty("seed", seed);
        row.addProperty("genome", GenomeCodec.toCanonical(winner));
        row.addProperty(Metric.BP_FRACTION.key(), plan.bpFraction());
        row.addProperty(Metric.EXACT_GRADIENT_FRACTION.key(), plan.exactGradientFraction());
        row.addProperty(Metric.PARAMETERS.key(), plan.parameters());
        row.addProperty("rules_used", String.join(",", plan.ruleFractions().keySet().stream().map(Rule::shortName).sorted().toList()));
        row.addProperty("failed", a.diverged);
        row.addProperty("search_seconds", a.searchSeconds);
        row.addProperty("winner_seconds", (System.nanoTime() - evaluationStarted) / 1e9); // test accuracy, twin, attacks
        JsonArray t = new JsonArray();
        a.trace.forEach(t::add);
        row.add("valid_trace", t);
        System.err.printf(Locale.ROOT, "== %s seed %d winner: valid %.4f test %.4f worst case %.4f (%.0f s) %s%n", arm, seed,
                row.get(Metric.VALID_ACCURACY.key()).getAsDouble(), row.get(Metric.TEST_ACCURACY.key()).getAsDouble(), num(row, RobustnessEvaluator.WORST_CASE),
                row.get("winner_seconds").getAsDouble(), row.get("genome").getAsString());
        return row;
    }

    /** The robustness evaluation's metrics, protocol, status and trust checks, on the winner's row. */
    private static void addRobustness(JsonObject o, Evaluator.Result r) {
        r.metrics().forEach(o::addProperty);
        o.addProperty("robustness_protocol", r.protocol());
        o.addProperty("robustness_status", r.failed() ? "failed" : "succeeded");
        if (r.failed()) {
            o.addProperty("robustness_failure_reason", r.failureReason());
        }
        o.addProperty("unreliable", r.unreliable());
        JsonArray reasons = new JsonArray();
        r.unreliableReasons().forEach(reasons::add);
        o.add("unreliable_reasons", reasons);
    }

    /** One arm's search for one seed: `budget` distinct genomes trained, the best by validation kept with its weights. */
    private final class ArmSearch {
        final String arm;
        final int seed;
        Genome best;
        TrainedModel bestModel; // the winner's weights, kept so the winner is not trained twice
        double bestValid = -1;
        final List<Double> trace = new ArrayList<>();
        int diverged;
        double searchSeconds;

        ArmSearch(String arm, int seed) {
            this.arm = arm;
            this.seed = seed;
        }

        void run(SearchSpace space, DataSplits data) {
            SearchStrategy s = Strategies.create(strategy, space, List.of(new Objective(Metric.VALID_ACCURACY.key(), true)));
            Random random = new Random(seed);
            Set<String> seen = new HashSet<>();
            long t0 = System.nanoTime();
            for (int i = 1; i <= budget; i++) {
                Genome g = s.ask(random);
                for (int draw = 0; !seen.add(GenomeCodec.id(g)) && draw < 1000; draw++) {
                    g = s.ask(random);
                }
                double acc;
                try {
                    acc = train(GenomePlan.of(g, FashionMnist.SHAPE), data);
                } catch (Exception e) {
                    diverged++;
                    s.tellFailure(g, e.getMessage());
                    System.err.printf(Locale.ROOT, "[%s seed %d] %2d/%d failed: %s%n", arm, seed, i, budget, e.getMessage());
                    continue;
                }
                s.tell(g, Map.of(Metric.VALID_ACCURACY.key(), acc));
                trace.add(acc);
                if (acc > bestValid) {
                    bestValid = acc;
                    best = g;
                }
                System.err.printf(Locale.ROOT, "[%s seed %d] %2d/%d valid %.4f (best %.4f) %s%n", arm, seed, i, budget, acc, bestValid,
                        GenomeCodec.toCanonical(g));
            }
            searchSeconds = (System.nanoTime() - t0) / 1e9;
        }

        /** Trains one genome; keeps its model when it beats the best so far (closing the one it replaces). */
        private double train(GenomePlan plan, DataSplits data) {
            TrainingOptions opt = recipe(seed);
            double bestSoFar = bestValid;
            return ComputeThread.call(() -> {
                TrainingRun run = GenomeTrainer.train(plan, data, opt, TrainingListener.NONE);
                if (run.validAccuracy() > bestSoFar) {
                    if (bestModel != null) {
                        bestModel.close();
                    }
                    bestModel = run.model();
                } else {
                    run.model().close();
                }
                return run.validAccuracy();
            });
        }
    }
}
