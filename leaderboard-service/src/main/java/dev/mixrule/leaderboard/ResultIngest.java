package dev.mixrule.leaderboard;

import dev.mixrule.kernel.messaging.Records;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.leaderboard.store.EntryMerge;
import dev.mixrule.leaderboard.store.LeaderboardStore;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Training and evaluation results in, Redis entries out. Watchers hear of the changes through Redis
 * (ChangeRelay), so the writes of every replica reach the watchers of every replica.
 */
@ApplicationScoped
public class ResultIngest {
    private static final Logger LOG = Logger.getLogger(ResultIngest.class);

    private final LeaderboardStore store;

    public ResultIngest(LeaderboardStore store) {
        this.store = store;
    }

    // Several records at once per topic: a write is an optimistic transaction (a clash retries), each one
    // announces its change inside its MULTI, so watchers still see every entry's versions in write order.
    @Incoming(Topics.TRAINING_RESULTS)
    @io.smallrye.reactive.messaging.annotations.Blocking(value = "ingest", ordered = false)
    public void training(ConsumerRecord<String, byte[]> record) {
        TrainingResult t = Records.parseKeyed(TrainingResult.parser(), Topics.TRAINING_RESULTS, record.key(), record.value(),
                TrainingResult::getGenomeId);
        // early-stopped candidates stay on the board with their last epoch's metrics and that state
        if (t.getStatus() != TrainingStatus.TRAINING_STATUS_SUCCEEDED && t.getStatus() != TrainingStatus.TRAINING_STATUS_EARLY_STOPPED) {
            LOG.infof("%s did not train (%s): %s", t.getGenomeId(), t.getStatus(), t.getFailureReason());
            store.recordTrainingFailure(t.getDataset(), t.getExperimentId(), t.getGenomeId());
            return;
        }
        logChange(store.update(t.getDataset(), t.getGenomeId(),
                old -> EntryMerge.withTraining(old, t, System.currentTimeMillis())));
    }

    @Incoming(Topics.EVALUATION_RESULTS)
    @io.smallrye.reactive.messaging.annotations.Blocking(value = "ingest", ordered = false)
    public void evaluation(ConsumerRecord<String, byte[]> record) {
        EvaluationResult e = Records.parseKeyed(EvaluationResult.parser(), Topics.EVALUATION_RESULTS, record.key(), record.value(),
                EvaluationResult::getGenomeId);
        if (e.getDataset().isEmpty() || e.getEvaluator().getName().isEmpty()) {
            throw new dev.mixrule.kernel.messaging.MalformedRecordException(Topics.EVALUATION_RESULTS + " record for "
                    + e.getGenomeId() + " lacks a dataset or an evaluator name");
        }
        logChange(store.update(e.getDataset(), e.getGenomeId(),
                old -> EntryMerge.withEvaluation(old, e, System.currentTimeMillis())));
    }

    private static void logChange(LeaderboardEntry changed) {
        if (changed != null) {
            LOG.debugf("entry %s/%s updated", changed.getDataset(), changed.getGenomeId());
        }
    }
}
