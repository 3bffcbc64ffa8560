package dev.mixrule.leaderboard;

import dev.mixrule.kafka.CountsDeadLetters;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.leaderboard.store.LeaderboardStore;
import dev.mixrule.leaderboard.store.ResultAdmission;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Training and evaluation results in, Redis entries out, through the ingestion rules of leaderboard-store's
 * ResultAdmission (signatures, registry, metric contracts, pending evaluations); a refused record throws
 * MalformedRecordException, which the connector's failure strategy forwards to the dead-letter topic with the
 * reason. Watchers hear of the changes through Redis (ChangeRelay), so the writes of every replica reach the
 * watchers of every replica.
 */
@ApplicationScoped
public class ResultIngest {
    private static final Logger LOG = Logger.getLogger(ResultIngest.class);

    private final ResultAdmission admission;
    private final LeaderboardMetrics meters;

    public ResultIngest(LeaderboardStore store,
                        @ConfigProperty(name = "mixrule.leaderboard.pending-ttl") Duration pendingTtl,
                        @ConfigProperty(name = "mixrule.leaderboard.pending-cap") int pendingCap, LeaderboardMetrics meters) {
        this.admission = store.admission(pendingTtl, pendingCap);
        this.meters = meters;
    }

    // Several records at once per topic: a write is an optimistic transaction (a clash retries), each one
    // announces its change inside its MULTI, so watchers still see every entry's versions in write order.
    @CountsDeadLetters
    @Incoming(Topics.TRAINING_RESULTS)
    @Blocking(value = "ingest", ordered = false)
    public void training(ConsumerRecord<String, byte[]> record) {
        ResultAdmission.Outcome outcome = admission.training(record);
        meters.wrote(Topics.TRAINING_RESULTS, outcome);
        LOG.debugf("training result %s: %s", record.key(), outcome);
    }

    @CountsDeadLetters
    @Incoming(Topics.EVALUATION_RESULTS)
    @Blocking(value = "ingest", ordered = false)
    public void evaluation(ConsumerRecord<String, byte[]> record) {
        ResultAdmission.Outcome outcome = admission.evaluation(record);
        meters.wrote(Topics.EVALUATION_RESULTS, outcome);
        LOG.debugf("evaluation result %s: %s", record.key(), outcome);
    }
}
