package dev.mixrule.core.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.mixrule.core.attacks.ApgdAttack;
import dev.mixrule.core.attacks.ApgdTargetedAttack;
import dev.mixrule.core.attacks.Attack;
import dev.mixrule.core.attacks.AttackFailedException;
import dev.mixrule.core.attacks.Classifier;
import dev.mixrule.core.attacks.FabTargetedAttack;
import dev.mixrule.core.attacks.FgsmAttack;
import dev.mixrule.core.attacks.GradientUnavailableException;
import dev.mixrule.core.attacks.Gradients;
import dev.mixrule.core.attacks.PgdAttack;
import dev.mixrule.core.attacks.SquareAttack;
import dev.mixrule.core.attacks.TransferAttack;
import dev.mixrule.core.training.Tensors;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.ImageDataset;
import dev.mixrule.kernel.metrics.Metric;
import dev.mixrule.kernel.recipe.TrainingOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Adversarial robustness under L-inf, with the checks that catch gradient masking. Every attack runs
 * on the same examples as the clean accuracy, all of them (each attack may stop early on an example it
 * has fooled); images stay in [0,1] and eps is in pixel units. Metrics: clean_accuracy,
 * {attack}_accuracy at the main eps, worst_case_accuracy (robust only if clean-correct and no attack of
 * the protocol fooled it), pgd_accuracy_eps{e} along the eps ladder. On the validation split (what
 * search may read) every name is prefixed valid_; on the test split (reports only) names are plain.
 * Unreliable when inputs have zero gradient, when a black-box or transfer attack beats every
 * white-box one, or when accuracy does not fall toward 0 as eps grows. An attack that cannot run (e.g.
 * cannot differentiate the model) makes the whole result FAILED, naming the attack: never numbers.
 * See docs/robustness.md.
 */
public final class RobustnessEvaluator implements Evaluator {
    public static final String NAME = "robustness";
    public static final String WORST_CASE = Metric.WORST_CASE_ACCURACY.key();
    public static final List<String> PROTOCOLS = List.of("screening", "full", "standard");

    /** Which split is measured: valid for search (metrics prefixed valid_), test for reports (plain names). */
    public enum Split {
        VALID("valid", "valid_"), TEST("test", "");

        private final String label;
        private final String prefix;

        Split(String label, String prefix) {
            this.label = label;
            this.prefix = prefix;
        }

        public String label() {
            return label;
        }

        /** What every metric name measured on this split starts with. */
        public String prefix() {
            return prefix;
        }

        public static Split fromName(String name) {
            return switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
                case "valid", "validation" -> VALID;
                case "test" -> TEST;
                default -> throw new IllegalArgumentException("unknown split '" + name + "'; known: valid, test");
            };
        }
    }

    /** The transfer attack's source model for a target, and its description for the protocol string. */
    public record Source(Classifier classifier, String description) {}

    /** Finds the transfer source of a target model, trained (if needed) on the same data with the given recipe. */
    @FunctionalInterface
    public interface TransferSource {
        Source sourceFor(TrainedModel target, DataSplits data, TrainingOptions recipe);
    }

    /**
     * @param protocol the protocol's name (screening, full, standard, or a test's own)
     * @param split which split is attacked
     * @param examples images of that split to attack
     * @param eps the main budget (pixel units)
     * @param ladder budgets for the does-accuracy-fall check (PGD), ascending
     * @param attacks which attacks: fgsm, pgd, apgd, apgd_t, fab_t, square, transfer
     * @param targets target classes of apgd_t and fab_t (capped at classes - 1)
     * @param transferSource the source model of the transfer attack for a target; null = no transfer
     */
    public record Config(String protocol, Split split, int examples, float eps, float[] ladder, List<String> attacks, int pgdSteps,
                         int apgdSteps, int targets, int fabSteps, int squareQueries, float squarePInit, TransferSource transferSource) {
        public Config withSplit(Split s) {
            return new Config(protocol, s, examples, eps, ladder, attacks, pgdSteps, apgdSteps, targets, fabSteps, squareQueries,
                    squarePInit, transferSource);
        }

        /**
         * This protocol cut down to a tighter budget (the demo's): at most {@code maxExamples} images (0 keeps the
         * protocol's) and only {@code only} of its attacks (empty keeps them all), each attack keeping its settings.
         * The result's protocol string records the images and the attacks that ran. Refuses, naming the field, a
         * size outside 0..the protocol's or an attack the protocol does not have.
         */
        public Config limitedTo(int maxExamples, List<String> only) {
            if (maxExamples < 0 || maxExamples > examples) {
                throw new IllegalArgumentException("examples must be in 0.." + examples + " (0 = the " + protocol
                        + " protocol's " + examples + "), got " + maxExamples);
            }
            for (String a : only) {
                if (!attacks.contains(a)) {
                    throw new IllegalArgumentException("attacks: '" + a + "' is not an attack of the " + protocol + " protocol; it has "
                            + String.join(", ", attacks));
                }
            }
            List<String> kept = only.isEmpty() ? attacks : attacks.stream().filter(only::contains).toList();
            return new Config(protocol, split, maxExamples == 0 ? examples : maxExamples, eps, ladder, kept, pgdSteps, apgdSteps,
                    targets, fabSteps, squareQueries, squarePInit, transferSource);
        }
    }

    /** AutoAttack's Square setting (standard version): the initial fraction of pixels a square covers. */
    public static final float SQUARE_P_INIT = 0.8f;

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

    /** The named protocol (screening, full or standard) on a split of a dataset; anything else is refused by name. */
    public static Config config(String protocol, Split split, String dataset, TransferSource transfer) {
        return switch (protocol) {
            case "screening" -> screening(dataset, transfer).withSplit(split);
            case "full" -> full(dataset, transfer).withSplit(split);
            case "standard" -> standard(dataset, transfer).withSplit(split);
            default -> throw new IllegalArgumentException("unknown protocol '" + protocol + "'; known: " + String.join(", ", PROTOCOLS));
        };
    }

    /** For the search loop: 500 examples, short attacks. */
    public static Config screening(String dataset, TransferSource transfer) {
        float e = defaultEps(dataset);
        return new Config("screening", Split.VALID, 500, e, new float[] {e / 2, e, 2 * e, 3 * e},
                List.of("fgsm", "pgd", "apgd", "square", "transfer"), 10, 20, 9, 0, 200, SQUARE_P_INIT, transfer);
    }

    /** The top of the leaderboard: 2,000 examples, longer attacks. */
    public static Config full(String dataset, TransferSource transfer) {
        float e = defaultEps(dataset);
        return new Config("full", Split.TEST, 2000, e, new float[] {e / 2, e, 2 * e, 3 * e},
                List.of("fgsm", "pgd", "apgd", "square", "transfer"), 40, 100, 9, 0, 1000, SQUARE_P_INIT, transfer);
    }

    /**
     * AutoAttack's standard version (Croce & Hein 2020): APGD-CE 100 steps, APGD-T (targeted DLR) 9 targets x
     * 100 steps, FAB-T 9 targets x 100 steps, Square 5,000 queries p_init 0.8; plus the transfer attack from
     * the backprop twin as a masking check. 2,000 examples.
     */
    public static Config standard(String dataset, TransferSource transfer) {
        float e = defaultEps(dataset);
        return new Config("standard", Split.TEST, 2000, e, new float[0],
                List.of("apgd", "apgd_t", "fab_t", "square", "transfer"), 0, 100, 9, 100, 5000, SQUARE_P_INIT, transfer);
    }

    @Override
    public String name() {
        return NAME;
    }

    public float eps() {
        return config.eps();
    }

    public Config config() {
        return config;
    }

    /** 2: split-prefixed names, worst case, FAILED on attacks that cannot run, backprop-twin transfer source. */
    public static final String VERSION = "2";

    @Override
    public String version() {
        return VERSION;
    }

    /** One attack of this protocol, configured as the protocol says; null for transfer without a source. */
    public Attack attack(String name, Classifier transferSource) {
        return switch (name) {
            case "fgsm" -> new FgsmAttack();
            case "pgd" -> new PgdAttack(config.pgdSteps(), 0, 1);
            case "apgd" -> new ApgdAttack(config.apgdSteps());
            case "apgd_t" -> new ApgdTargetedAttack(config.apgdSteps(), config.targets());
            case "fab_t" -> new FabTargetedAttack(config.fabSteps(), config.targets());
            case "square" -> new SquareAttack(config.squareQueries(), config.squarePInit(), 0);
            case "transfer" -> transferSource == null ? null : new TransferAttack(transferSource, Math.max(10, config.pgdSteps()));
            default -> throw new IllegalArgumentException("unknown attack '" + name + "'; known: fgsm, pgd, apgd, apgd_t, fab_t, square, transfer");
        };
    }

    @Override
    public Result evaluate(TrainedModel model, DataSplits data, Settings settings) {
        ImageDataset split = config.split() == Split.VALID ? data.valid() : data.test();
        Source source = null;
        if (config.transferSource() != null && config.attacks().contains("transfer")) {
            source = config.transferSource().sourceFor(model, data, settings.recipe() != null ? settings.recipe() : TrainingOptions.DEFAULT);
        }
        return evaluate(Classifier.of(model), source == null ? null : source.classifier(), split, settings.testLimit(),
                source == null ? null : source.description());
    }

    /** Examples attacked together; each chunk runs in its own NDScope so memory stays bounded. */
    static final int CHUNK = 250;

    public Result evaluate(Classifier f, Classifier transferSource, ImageDataset split, int limit) {
        return evaluate(f, transferSource, split, limit, transferSource == null ? null : "given");
    }

    /** The whole protocol against any classifier (tests hand in masked ones) on the given split's images, in chunks. */
    public Result evaluate(Classifier f, Classifier transferSource, ImageDataset split, int limit, String sourceDescription) {
        int n = limit > 0 ? Math.min(limit, config.examples()) : config.examples();
        ImageDataset images = split.limit(n);
        n = images.size();
        Map<String, Double> sums = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        String attacks = null;
        int zero = 0;
        String head = String.format(Locale.ROOT, "%s:%s:%d:linf:eps=%.4f", config.protocol(), config.split().label(), n, config.eps());
        try {
            for (int from = 0; from < n; from += CHUNK) {
                ImageDataset chunk = images.slice(images.name(), from, Math.min(n, from + CHUNK));
                try (NDScope scope = new NDScope()) {
                    Chunk c = evaluateChunk(f, transferSource, chunk);
                    c.counts.forEach((k, v) -> sums.merge(k, v, Double::sum));
                    zero += c.zeroGradients;
                    attacks = c.protocol;
                }
            }
        } catch (AttackFailedException e) {
            return Result.failed(n, head, e.getMessage());
        }
        Map<String, Double> plain = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : sums.entrySet()) {
            plain.put(e.getKey(), e.getValue() / n);
        }
        trustChecks(plain, zero, n, reasons);
        Map<String, Double> metrics = new LinkedHashMap<>();
        plain.forEach((k, v) -> metrics.put(config.split().prefix() + k, v));
        String transfer = sourceDescription == null ? "" : ":transfer-source=" + sourceDescription;
        return new Result(metrics, n, head + ":" + attacks + transfer, reasons);
    }

    record Chunk(Map<String, Double> counts, int zeroGradients, String protocol) {}

    private Chunk evaluateChunk(Classifier f, Classifier transferSource, ImageDataset test) {
        int n = test.size();
        NDArray x = Tensors.images(test, f.manager(), 0, n);
        NDArray y = Tensors.labels(test, f.manager(), 0, n);
        Map<String, Double> metrics = new LinkedHashMap<>();
        boolean[] clean = Gradients.correct(f, x, y);
        metrics.put(Metric.CLEAN_ACCURACY.key(), Attack.count(clean));

        int zero = 0;
        try {
            NDArray grad = Gradients.inputGradient(f, x, y)[0];
            for (float v : grad.abs().reshape(n, -1).max(new int[] {1}).toFloatArray()) {
                if (v == 0f) {
                    zero++;
                }
            }
        } catch (GradientUnavailableException e) {
            // not a masking signal but a failure: the first white-box attack below fails, naming itself
        }
        List<String> protocol = new ArrayList<>();
        boolean[] worst = clean.clone();
        for (String name : config.attacks()) {
            Attack a = attack(name, transferSource);
            if (a == null) {
                continue;
            }
            boolean[] robust = a.run(f, x, y, config.eps());
            PgdAttack.and(worst, robust);
            metrics.put(name + "_accuracy", Attack.count(robust));
            protocol.add(a.settings());
        }
        metrics.put(WORST_CASE, Attack.count(worst));
        if (config.attacks().contains("pgd")) {
            PgdAttack pgd = new PgdAttack(config.pgdSteps(), 0, 1);
            for (float e : config.ladder()) {
                // the main eps was attacked already: reuse that PGD run instead of a second one
                double robust = e == config.eps() ? metrics.get(Metric.PGD_ACCURACY.key()) : Attack.count(pgd.run(f, x, y, e));
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
}
