package dev.mixrule.kernel.messaging;

import java.util.List;

/**
 * The one place that names Kafka topics. Services use these names as their channel names, so
 * their configuration never repeats them. Keys: genome id; values: protobuf (proto/mixrule/v1).
 */
public final class Topics {
    /** {@code Candidate} records from the sampler. */
    public static final String CANDIDATES = "mixrule-candidates";
    /** {@code TrainingResult} records from trainers. */
    public static final String TRAINING_RESULTS = "mixrule-training-results";
    /** {@code EvaluationResult} records from evaluators (ours and anyone's). */
    public static final String EVALUATION_RESULTS = "mixrule-evaluation-results";
    /** {@code TrainingProgress} records from trainers, one per epoch (early stopping). */
    public static final String TRAINING_PROGRESS = "mixrule-training-progress";
    /** {@code StopCandidate} records from the sampler, read by every trainer replica. */
    public static final String CONTROL = "mixrule-control";
    /** Records a consumer could not parse or process, forwarded untouched with the reason in headers. */
    public static final String DEAD_LETTER = "mixrule-dead-letter";

    public static final List<String> ALL = List.of(CANDIDATES, TRAINING_RESULTS, TRAINING_PROGRESS, CONTROL, EVALUATION_RESULTS, DEAD_LETTER);

    private Topics() {}
}
