package dev.mixrule.kernel.metrics;

import java.util.Locale;
import java.util.Optional;

/**
 * The metric names mixrule itself publishes, each with its direction, its range and the data it reads: the
 * one place these names are spelled. Metrics of external evaluators are free-form names; these are the
 * known ones (docs/architecture.md, "Adding a metric").
 */
public enum Metric {
    // from every TrainingResult (TrainingResultMetrics)
    VALID_ACCURACY(Direction.MAXIMIZE, Source.VALIDATION, 0, 1),
    TRAIN_SECONDS(Direction.MINIMIZE, Source.GENOME_AND_COST, 0, Double.POSITIVE_INFINITY),
    TRAIN_LOSS(Direction.MINIMIZE, Source.GENOME_AND_COST, 0, Double.POSITIVE_INFINITY),
    TRAIN_ACCURACY(Direction.MAXIMIZE, Source.GENOME_AND_COST, 0, 1),
    TRAIN_IMAGES_PER_SECOND(Direction.MAXIMIZE, Source.GENOME_AND_COST, 0, Double.POSITIVE_INFINITY),
    EPOCHS_COMPLETED(Direction.MAXIMIZE, Source.GENOME_AND_COST, 0, Double.POSITIVE_INFINITY),
    PARAMETERS(Direction.MINIMIZE, Source.GENOME_AND_COST, 0, Double.POSITIVE_INFINITY),
    MACS(Direction.MINIMIZE, Source.GENOME_AND_COST, 0, Double.POSITIVE_INFINITY),
    BP_FRACTION(Direction.MINIMIZE, Source.GENOME_AND_COST, 0, 1),
    EXACT_GRADIENT_FRACTION(Direction.MINIMIZE, Source.GENOME_AND_COST, 0, 1),
    // from the evaluators on the validation split (search-time)
    VALID_APGD_ACCURACY(Direction.MAXIMIZE, Source.VALIDATION, 0, 1),
    // from the evaluators on the test split (reports: they never select)
    TEST_ACCURACY(Direction.MAXIMIZE, Source.TEST, 0, 1),
    CLEAN_ACCURACY(Direction.MAXIMIZE, Source.TEST, 0, 1),
    FGSM_ACCURACY(Direction.MAXIMIZE, Source.TEST, 0, 1),
    PGD_ACCURACY(Direction.MAXIMIZE, Source.TEST, 0, 1),
    APGD_ACCURACY(Direction.MAXIMIZE, Source.TEST, 0, 1),
    APGD_T_ACCURACY(Direction.MAXIMIZE, Source.TEST, 0, 1),
    FAB_ACCURACY(Direction.MAXIMIZE, Source.TEST, 0, 1),
    FAB_T_ACCURACY(Direction.MAXIMIZE, Source.TEST, 0, 1),
    SQUARE_ACCURACY(Direction.MAXIMIZE, Source.TEST, 0, 1),
    TRANSFER_ACCURACY(Direction.MAXIMIZE, Source.TEST, 0, 1),
    ROBUST_ACCURACY(Direction.MAXIMIZE, Source.TEST, 0, 1),
    WORST_CASE_ACCURACY(Direction.MAXIMIZE, Source.TEST, 0, 1),
    NOISE_ACCURACY(Direction.MAXIMIZE, Source.TEST, 0, 1);

    /** Per-rule parameter shares: share_&lt;rule&gt; (genome metrics, in [0, 1]). */
    public static final String SHARE_PREFIX = "share_";

    public enum Direction { MAXIMIZE, MINIMIZE }

    /** What the metric reads: the validation split, the test split, or only the genome and the training run. */
    public enum Source { VALIDATION, TEST, GENOME_AND_COST }

    private final String key;
    private final Direction direction;
    private final Source source;
    private final double min;
    private final double max;

    Metric(Direction direction, Source source, double min, double max) {
        this.key = name().toLowerCase(Locale.ROOT);
        this.direction = direction;
        this.source = source;
        this.min = min;
        this.max = max;
    }

    /** The name as published and stored, e.g. {@code valid_accuracy}. */
    public String key() {
        return key;
    }

    public Direction direction() {
        return direction;
    }

    public Source source() {
        return source;
    }

    /** Whether a value is finite and inside the metric's range. */
    public boolean accepts(double value) {
        return Double.isFinite(value) && value >= min && value <= max;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** The known metric of this name, if it is one. */
    public static Optional<Metric> of(String key) {
        for (Metric m : values()) {
            if (m.key.equals(key)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The share metric of a rule: share_fa, share_bp, ... */
    public static String share(String ruleShortName) {
        return SHARE_PREFIX + ruleShortName;
    }

    @Override
    public String toString() {
        return key;
    }
}
