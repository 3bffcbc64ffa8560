package dev.mixrule.core.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.mixrule.core.attacks.ApgdAttack;
import dev.mixrule.core.attacks.Attack;
import dev.mixrule.core.attacks.Classifier;
import dev.mixrule.core.attacks.FgsmAttack;
import dev.mixrule.core.attacks.Gradients;
import dev.mixrule.core.attacks.PgdAttack;
import dev.mixrule.core.attacks.SquareAttack;
import dev.mixrule.core.attacks.TransferAttack;
import dev.mixrule.core.data.DataSplits;
import dev.mixrule.core.data.ImageDataset;
import dev.mixrule.core.training.TrainedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Adversarial robustness under L-inf, with the checks that catch gradient masking. Every attack runs
 * on the same examples as the clean accuracy; images stay in [0,1] and eps is in pixel units.
 * Metrics: clean_accuracy, {attack}_accuracy at the main eps, pgd_accuracy_eps{e} along the eps
 * ladder. Unreliable when inputs have zero gradient, when a black-box or transfer attack beats every
 * white-box one, or when accuracy does not fall toward 0 as eps grows.
 */
public final class RobustnessEvaluator implements Evaluator {
    public static final String NAME = "robustness";

    /**
     * @param examples test images to attack
     * @param eps the main budget (pixel units)
     * @param ladder budgets for the does-accuracy-fall check (PGD), ascending
     * @param attacks which attacks: fgsm, pgd, apgd, square, transfer
     * @param transferSource the source model of the transfer attack for a target; null = no transfer
     */
    public record Config(String protocol, int examples, float eps, float[] ladder, List<String> attacks, int pgdSteps,
                         int apgdSteps, int squareQueries, Function<TrainedModel, Classifier> transferSource) {}

    private final Config config;

    public RobustnessEvaluator(Config config) {
        this.config = config;
    }

    /** Fashion-MNIST: eps 0.1 (see docs/robustness.md); CIFAR and ImageNet16: RobustBench's 8/255 and 4/255. */
    public static float defaultEps(String dataset) {
        return switch (dataset) {
            case "cifar10", "cifar100" -> 8f / 255;
            case "imagenet16-120" -> 4f / 255;
            default -> 0.1f;
        };
    }

    /** The named protocol (screening or full) for a dataset; anything else is refused by name. */
    public static Config config(String protocol, String dataset, Function<TrainedModel, Classifier> transfer) {
        return switch (protocol) {
            case "screening" -> screening(dataset, transfer);
            case "full" -> full(dataset, transfer);
            default -> throw new IllegalArgumentException("unknown protocol '" + protocol + "'; known: screening, full");
        };
    }

    public static Config screening(String dataset, Function<TrainedModel, Classifier> transfer) {
        float e = defaultEps(dataset);
        return new Config("screening", 500, e, new float[] {e / 2, e, 2 * e, 3 * e},
                List.of("fgsm", "pgd", "apgd", "square", "transfer"), 10, 20, 200, transfer);
    }

    public static Config full(String dataset, Function<TrainedModel, Classifier> transfer) {
        float e = defaultEps(dataset);
        return new Config("full", 2000, e, new float[] {e / 2, e, 2 * e, 3 * e},
                List.of("fgsm", "pgd", "apgd", "square", "transfer"), 40, 100, 1000, transfer);
    }

    @Override
    public String name() {
        return NAME;
    }

    public float eps() {
        return config.eps();
    }

    @Override
    public String version() {
        return "1";
    }

    Attack attack(String name, Classifier transferSource) {
        return switch (name) {
            case "fgsm" -> new FgsmAttack();
            case "pgd" -> new PgdAttack(config.pgdSteps(), 0, 1);
            case "apgd" -> new ApgdAttack(config.apgdSteps());
            case "square" -> new SquareAttack(config.squareQueries(), 0.3f, 0);
            case "transfer" -> transferSource == null ? null : new TransferAttack(transferSource, config.pgdSteps());
            default -> throw new IllegalArgumentException("unknown attack '" + name + "'; known: fgsm, pgd, apgd, square, transfer");
        };
    }

    @Override
    public Result evaluate(TrainedModel model, DataSplits data, Settings settings) {
        Classifier source = config.transferSource() == null ? null : config.transferSource().apply(model);
        return evaluate(Classifier.of(model), source, data.test(), settings.testLimit());
    }

    /** Examples attacked together; each chunk runs in its own NDScope so memory stays bounded. */
    static final int CHUNK = 250;

    /** The whole protocol against any classifier (tests hand in masked ones), in chunks of examples. */
    public Result evaluate(Classifier f, Classifier transferSource, ImageDataset testSplit, int testLimit) {
        int n = testLimit > 0 ? Math.min(testLimit, config.examples()) : config.examples();
        ImageDataset test = testSplit.limit(n);
        n = test.size();
        Map<String, Double> sums = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        String proto = null;
        int zero = 0;
        for (int from = 0; from < n; from += CHUNK) {
            ImageDataset chunk = test.slice(test.name(), from, Math.min(n, from + CHUNK));
            try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
                Chunk c = evaluateChunk(f, transferSource, chunk);
                c.counts.forEach((k, v) -> sums.merge(k, v, Double::sum));
                zero += c.zeroGradients;
                proto = c.protocol;
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : sums.entrySet()) {
            metrics.put(e.getKey(), e.getValue() / n);
        }
        trustChecks(metrics, zero, n, reasons);
        return new Result(metrics, n, String.format(Locale.ROOT, "%s:test[0:%d]:linf:eps=%.4f:%s", config.protocol(), n,
                config.eps(), proto), reasons);
    }

    record Chunk(Map<String, Double> counts, int zeroGradients, String protocol) {}

    private Chunk evaluateChunk(Classifier f, Classifier transferSource, ImageDataset test) {
        int n = test.size();
        NDArray x = test.images(f.manager(), 0, n);
        NDArray y = test.labels(f.manager(), 0, n);
        Map<String, Double> metrics = new LinkedHashMap<>();
        boolean[] clean = Gradients.correct(f, x, y);
        metrics.put("clean_accuracy", count(clean));

        NDArray grad = Gradients.inputGradient(f, x, y)[0];
        float[] g = grad.abs().reshape(n, -1).max(new int[] {1}).toFloatArray();
        int zero = 0;
        for (float v : g) {
            if (v == 0f) {
                zero++;
            }
        }
        List<String> protocol = new ArrayList<>();
        for (String name : config.attacks()) {
            Attack a = attack(name, transferSource);
            if (a == null) {
                continue;
            }
            metrics.put(name + "_accuracy", count(a.robust(f, x, y, config.eps())));
            protocol.add(a.settings());
        }
        if (config.attacks().contains("pgd")) {
            PgdAttack pgd = new PgdAttack(config.pgdSteps(), 0, 1);
            for (float e : config.ladder()) {
                // the main eps was attacked already: reuse that PGD run instead of a second one
                double robust = e == config.eps() ? metrics.get("pgd_accuracy") : count(pgd.robust(f, x, y, e));
                metrics.put(String.format(Locale.ROOT, "pgd_accuracy_eps%.4f", e), robust);
            }
        }
        return new Chunk(metrics, zero, String.join(";", protocol));
    }

    /** The checks that catch gradient masking, on the whole set's accuracies. */
    private void trustChecks(Map<String, Double> metrics, int zero, int n, List<String> reasons) {
        if (zero > n / 2) {
            reasons.add("input gradients are zero for " + zero + " of " + n
                    + " examples: white-box attacks cannot see through this model (gradient masking), so robust accuracy is not evidence of robustness");
        }
        double bestWhite = Double.POSITIVE_INFINITY;
        String bestOther = null;
        double bestOtherAcc = Double.POSITIVE_INFINITY;
        for (String name : config.attacks()) {
            Double acc = metrics.get(name + "_accuracy");
            if (acc == null) {
                continue;
            }
            if (name.equals("square") || name.equals("transfer")) {
                if (acc < bestOtherAcc) {
                    bestOtherAcc = acc;
                    bestOther = name;
                }
            } else {
                bestWhite = Math.min(bestWhite, acc);
            }
        }
        if (bestOther != null && bestWhite < Double.POSITIVE_INFINITY && bestOtherAcc < bestWhite - 0.01) {
            reasons.add(String.format(Locale.ROOT, "%s attack (%.3f) beats the strongest white-box attack (%.3f) at eps %.4f:"
                    + " gradients mislead the white-box attacks", bestOther, bestOtherAcc, bestWhite, config.eps()));
        }
        if (config.attacks().contains("pgd") && config.ladder().length > 0) {
            double prev = 1;
            double last = 1;
            for (float e : config.ladder()) {
                double acc = metrics.get(String.format(Locale.ROOT, "pgd_accuracy_eps%.4f", e));
                if (acc > prev + 0.02) {
                    reasons.add(String.format(Locale.ROOT, "PGD accuracy rises from %.3f to %.3f as eps grows to %.4f", prev, acc, e));
                }
                prev = acc;
                last = acc;
            }
            if (last > 0.1) {
                reasons.add(String.format(Locale.ROOT, "PGD accuracy is still %.3f at eps %.4f: accuracy does not fall toward 0 as eps grows",
                        last, config.ladder()[config.ladder().length - 1]));
            }
        }
    }

    static double count(boolean[] b) {
        int c = 0;
        for (boolean v : b) {
            if (v) {
                c++;
            }
        }
        return c;
    }
}
