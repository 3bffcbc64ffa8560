package dev.mixrule.leaderboard.store;

import dev.mixrule.kernel.messaging.DeadLetterReason;
import dev.mixrule.kernel.messaging.MalformedRecordException;
import dev.mixrule.kernel.messaging.Records;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.kernel.metrics.MetricContracts;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The ingestion rules, one place for the live consumer (leaderboard-service's ResultIngest) and for
 * {@code leaderboard rebuild} (ResultReplay). A record is believed only when it parses, its key is its genome id,
 * a registered principal signed it (RecordProvenance), and then: a training result's signer is a trainer; an
 * evaluation keeps the metric contracts (kernel MetricContracts), its evaluator name belongs to its signer, and
 * each of its metric names belongs to its evaluator (or a sibling of the same principal). An entry exists only once a trainer's successful (or
 * early-stopped) result arrived; earlier evaluations wait in {@link PendingEvaluations}. Every refusal is a
 * {@link MalformedRecordException} whose message is the reason, for the dead-letter topic.
 */
public final class ResultAdmission {
    /** How long evaluations wait for their training result, and for how many genomes at most: the live consumer's
     * defaults (leaderboard-service's application.properties says the same) and what a rebuild applies. */
    public static final Duration DEFAULT_PENDING_TTL = Duration.ofDays(7);
    public static final int DEFAULT_PENDING_CAP = 100_000;

    /** What became of an accepted record. */
    public enum Outcome { APPLIED, UNCHANGED, FAILURE_COUNTED, PENDING }

    private final LeaderboardStore store;
    private final ProvenanceRegistry registry;
    private final RecordProvenance provenance;
    private final PendingEvaluations pending;

    public ResultAdmission(LeaderboardStore store, PendingEvaluations pending) {
        this.store = store;
        this.registry = store.registry();
        this.provenance = new RecordProvenance(registry);
        this.pending = pending;
    }

    public Outcome training(ConsumerRecord<String, byte[]> record) {
        TrainingResult parsed = Records.parseKeyed(TrainingResult.parser(), Topics.TRAINING_RESULTS, record.key(),
                record.value(), TrainingResult::getGenomeId);
        String principal = provenance.verify(record);
        if (!registry.isTrainer(principal)) {
            throw new MalformedRecordException(DeadLetterReason.WRONG_ROLE, Topics.TRAINING_RESULTS + " record for " + parsed.getGenomeId()
                    + " is signed by principal '" + principal + "', which is not a trainer");
        }
        TrainingResult t = parsed.toBuilder().setProducerPrincipal(principal).build();
        // early-stopped candidates stay on the board with their last epoch's metrics and that state
        if (t.getStatus() != TrainingStatus.TRAINING_STATUS_SUCCEEDED && t.getStatus() != TrainingStatus.TRAINING_STATUS_EARLY_STOPPED) {
            store.recordTrainingFailure(t.getDataset(), t.getExperimentId(), t.getGenomeId());
            return Outcome.FAILURE_COUNTED;
        }
        LeaderboardEntry changed = store.update(t.getDataset(), t.getGenomeId(),
                old -> EntryMerge.withTraining(old, t, System.currentTimeMillis()));
        boolean drained = mergePending(t.getDataset(), t.getGenomeId());
        return changed != null || drained ? Outcome.APPLIED : Outcome.UNCHANGED;
    }

    public Outcome evaluation(ConsumerRecord<String, byte[]> record) {
        EvaluationResult parsed = Records.parseKeyed(EvaluationResult.parser(), Topics.EVALUATION_RESULTS, record.key(),
                record.value(), EvaluationResult::getGenomeId);
        String principal = provenance.verify(record);
        String where = Topics.EVALUATION_RESULTS + " record for " + parsed.getGenomeId();
        if (parsed.getDataset().isEmpty() || parsed.getEvaluator().getName().isEmpty()) {
            throw new MalformedRecordException(DeadLetterReason.INCOMPLETE, where + " lacks a dataset or an evaluator name");
        }
        Optional<String> broken = MetricContracts.violation(parsed);
        if (broken.isPresent()) {
            throw new MalformedRecordException(DeadLetterReason.METRIC_CONTRACT, where + ": " + broken.get());
        }
        requireOwnership(parsed, principal, where);
        EvaluationResult e = parsed.toBuilder().setProducerPrincipal(principal).build();
        if (trained(e.getDataset(), e.getGenomeId())) {
            return merge(e) ? Outcome.APPLIED : Outcome.UNCHANGED;
        }
        if (!pending.stash(e, System.currentTimeMillis())) {
            throw new MalformedRecordException(DeadLetterReason.PENDING_FULL, where + " arrived before any training result of its genome, and the "
                    + "pending area is full (" + pending.cap() + " genomes wait for training)");
        }
        // the training result may have landed between the check and the stash: then nobody else drains it
        if (trained(e.getDataset(), e.getGenomeId())) {
            mergePending(e.getDataset(), e.getGenomeId());
            return Outcome.APPLIED;
        }
        return Outcome.PENDING;
    }

    /**
     * The evaluator name is its signer's, and every metric it publishes on the dataset is this evaluator's, or another
     * evaluator's of the same principal (ours share test_accuracy: accuracy in real stacks, simulated in simulated ones).
     */
    private void requireOwnership(EvaluationResult e, String principal, String where) {
        String name = e.getEvaluator().getName();
        Optional<String> owner = registry.evaluatorOwner(name);
        if (owner.isEmpty()) {
            throw new MalformedRecordException(DeadLetterReason.OWNERSHIP, where + ": evaluator '" + name + "' is not registered (./mixrule evaluators register "
                    + name + " --principal " + principal + ")");
        }
        if (!owner.get().equals(principal)) {
            throw new MalformedRecordException(DeadLetterReason.OWNERSHIP, where + ": evaluator '" + name + "' belongs to principal '" + owner.get()
                    + "', but the record is signed by '" + principal + "'");
        }
        var owners = registry.metricOwners(e.getDataset());
        for (String metric : e.getMetricsMap().keySet()) {
            String metricOwner = owners.get(metric);
            if (metricOwner == null) {
                metricOwner = registry.claimMetric(e.getDataset(), metric, name);
            }
            if (!metricOwner.equals(name) && !registry.evaluatorOwner(metricOwner).orElse("").equals(principal)) {
                throw new MalformedRecordException(DeadLetterReason.OWNERSHIP, where + ": metric '" + metric + "' on dataset '" + e.getDataset()
                        + "' belongs to evaluator '" + metricOwner + "', not '" + name + "'");
            }
        }
    }

    private boolean trained(String dataset, String genomeId) {
        LeaderboardEntry entry = store.get(dataset, genomeId);
        return entry != null && entry.hasTraining();
    }

    private boolean merge(EvaluationResult e) {
        return store.update(e.getDataset(), e.getGenomeId(), old -> old == null || !old.hasTraining() ? old
                : EntryMerge.withEvaluation(old, e, System.currentTimeMillis())) != null;
    }

    private boolean mergePending(String dataset, String genomeId) {
        boolean any = false;
        for (EvaluationResult e : pending.take(dataset, genomeId)) {
            any |= merge(e);
        }
        return any;
    }
}
