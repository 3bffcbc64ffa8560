package dev.mixrule.evaluator;

import dev.mixrule.core.evaluation.Evaluator;
import dev.mixrule.core.evaluation.Evaluators;
import dev.mixrule.core.pipeline.EvaluationJob;
import dev.mixrule.kafka.CountsDeadLetters;
import dev.mixrule.kafka.GenomeSpans;
import dev.mixrule.kernel.checkpoint.FileCheckpointStore;
import dev.mixrule.kernel.messaging.Records;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.kernel.simulation.RunMode;
import dev.mixrule.kernel.simulation.SimulatedTraining;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Training results in, one evaluation result per configured evaluator out. Failed and early-stopped
 * trainings are skipped (the leaderboard shows them from the training result). Unparseable records throw and so
 * land on the dead-letter topic.
 */
@ApplicationScoped
public class TrainingResultEvaluator {
    private static final Logger LOG = Logger.getLogger(TrainingResultEvaluator.class);

    private final EvaluationJob job;
    private final List<Evaluator> evaluators;
    private final Emitter<Record<String, byte[]>> results;
    private final boolean simulated;
    private final long simulatedMs;
    private final EvaluatorMetrics meters;
    private final GenomeSpans spans;

    public TrainingResultEvaluator(EvaluatorConfig config, CheckpointConfig checkpoints,
                                   @Channel(Topics.EVALUATION_RESULTS) Emitter<Record<String, byte[]>> results,
                                   EvaluatorMetrics meters, GenomeSpans spans) {
        this.job = new EvaluationJob(new FileCheckpointStore(checkpoints.dir()));
        this.results = results;
        this.simulated = config.mode() == RunMode.SIMULATED;
        this.simulatedMs = config.simulatedMs();
        this.meters = meters;
        this.spans = spans;
        if (simulated) {
            this.evaluators = List.of();
            LOG.warnf("evaluator is SIMULATED: one '%s' result per candidate from the synthetic objective", SimulatedTraining.EVALUATOR);
        } else {
            List<String> names = Evaluators.active(config.names(), LOG::warn);
            List<String> attacks = config.attacks().orElse(List.of());
            try {
                this.evaluators = names.stream().map(n -> meters.timed(Evaluators.get(n, config.protocol(), config.split(),
                        config.examples(), attacks))).toList();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid mixrule.evaluator.* settings: " + e.getMessage(), e);
            }
            LOG.infof("evaluators: %s (protocol %s on the %s split, %s images, attacks %s); checkpoints under %s", names,
                    config.protocol(), config.split().label(), config.examples() == 0 ? "the protocol's" : config.examples(),
                    attacks.isEmpty() ? "the protocol's" : attacks, checkpoints.dir().toAbsolutePath());
        }
    }

    // Several records at once (each waits for its results' acks); the evaluations themselves still run one
    // at a time on the compute thread. Offsets are committed only below the oldest unfinished record.
    @CountsDeadLetters
    @Incoming(Topics.TRAINING_RESULTS)
    @io.smallrye.reactive.messaging.annotations.Blocking(value = "evaluations", ordered = false)
    public void evaluate(ConsumerRecord<String, byte[]> record) {
        TrainingResult t = Records.parseKeyed(TrainingResult.parser(), Topics.TRAINING_RESULTS, record.key(), record.value(),
                TrainingResult::getGenomeId);
        if (t.getStatus() != TrainingStatus.TRAINING_STATUS_SUCCEEDED) {
            LOG.debugf("skipping %s: training %s", t.getGenomeId(), t.getStatus());
            return;
        }
        try (GenomeSpans.Open span = spans.open("evaluate", t.getGenomeId(), t.getExperimentId())) {
            evaluateSucceeded(t);
        }
    }

    private void evaluateSucceeded(TrainingResult t) {
        if (simulated) {
            LOG.debugf("evaluating %s (experiment %s), simulated, %d ms", t.getGenomeId(), t.getExperimentId(), simulatedMs);
            long start = System.nanoTime();
            pause(simulatedMs);
            meters.record(SimulatedTraining.EVALUATOR, true, System.nanoTime() - start);
            results.send(Record.of(t.getGenomeId(), SimulatedTraining.evaluate(t).toByteArray())).toCompletableFuture().join();
            return;
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (EvaluationResult r : job.run(t, evaluators)) {
            if (r.getStatus() == EvaluationStatus.EVALUATION_STATUS_FAILED) {
                LOG.warnf("%s %s failed: %s", t.getGenomeId(), r.getEvaluator().getName(), r.getFailureReason());
            } else {
                LOG.infof("%s %s v%s on %d examples: %s", t.getGenomeId(), r.getEvaluator().getName(),
                        r.getEvaluator().getVersion(), r.getExamples(), r.getMetricsMap());
            }
            sent.add(results.send(Record.of(t.getGenomeId(), r.toByteArray())).toCompletableFuture());
        }
        // wait for the broker's acks, so the input is only committed once its results are safe
        sent.forEach(CompletableFuture::join);
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while evaluating", e);
        }
    }
}
