package dev.mixrule.kernel.telemetry;

import java.util.List;

/**
 * Every meter the services export at /q/metrics, named once (docs/observability.md has the table). Names are
 * Micrometer's dotted form; Prometheus shows them with underscores and the suffix of their kind
 * ({@link #prometheusName()}: {@code mixrule_sampler_proposals_total}, {@code mixrule_trainer_training_seconds}).
 * Every label has a bounded set of values (an experiment id is one per experiment the user created).
 * The kernel only names them: each service registers its own through Micrometer.
 */
public enum Meter {
    PROPOSALS("mixrule.sampler.proposals", Kind.COUNTER,
            "Candidates the sampler proposed (stored, then sent to mixrule-candidates)", MeterLabels.EXPERIMENT),
    COMPLETIONS("mixrule.sampler.completions", Kind.COUNTER,
            "Candidates the sampler saw finish: scored, failed, stopped early or timed out", MeterLabels.EXPERIMENT),
    FAILURES("mixrule.sampler.failures", Kind.COUNTER,
            "Candidates that failed: the trainer's failure, or no result within the candidate timeout", MeterLabels.EXPERIMENT),
    TRAININGS("mixrule.trainer.trainings", Kind.COUNTER,
            "Candidates this trainer finished, by outcome (succeeded, early_stopped, failed)",
            MeterLabels.RULES, MeterLabels.STATUS),
    TRAINING_TIME("mixrule.trainer.training", Kind.TIMER,
            "Wall time of the training loop of one candidate (TrainingMetrics.train_seconds), trained or stopped early",
            MeterLabels.RULES),
    TRAINING_THROUGHPUT("mixrule.trainer.images.per.second", Kind.SUMMARY,
            "Training images per second of one candidate (TrainingMetrics.train_images_per_second)", MeterLabels.RULES),
    EVALUATION_TIME("mixrule.evaluator.evaluation", Kind.TIMER,
            "Wall time of one evaluator on one trained candidate (weights already loaded)",
            MeterLabels.EVALUATOR, MeterLabels.STATUS),
    LEADERBOARD_WRITES("mixrule.leaderboard.writes", Kind.COUNTER,
            "Result records the leaderboard admitted, by what became of them (applied, unchanged, failure_counted, pending)",
            MeterLabels.TOPIC, MeterLabels.OUTCOME),
    LEADERBOARD_QUERY_TIME("mixrule.leaderboard.query", Kind.TIMER,
            "Time of one Leaderboard gRPC call from its start to its close (Watch: the whole stream)",
            MeterLabels.METHOD, MeterLabels.STATUS),
    DEAD_LETTERS("mixrule.dead.letters", Kind.COUNTER,
            "Records a consumer refused or failed on, sent to mixrule-dead-letter (reason: DeadLetterReason)",
            MeterLabels.TOPIC, MeterLabels.REASON);

    /** How the meter is kept, and so which suffix Prometheus shows. */
    public enum Kind {
        /** Only goes up: {@code _total}. */
        COUNTER("_total"),
        /** Durations in seconds, with histogram buckets: {@code _seconds_bucket}, {@code _seconds_count}, {@code _seconds_sum}. */
        TIMER("_seconds"),
        /** Values of one unit (in the name), with histogram buckets: {@code _bucket}, {@code _count}, {@code _sum}. */
        SUMMARY("");

        private final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }
    }

    private final String key;
    private final Kind kind;
    private final String description;
    private final List<String> labels;

    Meter(String key, Kind kind, String description, String... labels) {
        this.key = key;
        this.kind = kind;
        this.description = description;
        this.labels = List.of(labels);
    }

    /** The Micrometer name, e.g. {@code mixrule.sampler.proposals}. */
    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    public String description() {
        return description;
    }

    /** The label names every sample of this meter carries. */
    public List<String> labels() {
        return labels;
    }

    /** The name Prometheus shows: underscores and the kind's suffix ({@code _bucket}, {@code _count}... follow it). */
    public String prometheusName() {
        return key.replace('.', '_') + kind.suffix;
    }
}
