package dev.mixrule.trainer;

import dev.mixrule.kafka.CountsDeadLetters;
import dev.mixrule.kernel.messaging.Records;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.proto.StopCandidate;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Stop requests from the sampler's early-stopping rule (topic mixrule-control). Every replica reads them
 * all (its own consumer group); the one training the candidate stops it after the current epoch.
 * Requests for candidates this replica never trains expire after an hour.
 */
@ApplicationScoped
public class StopRequests {
    private static final Logger LOG = Logger.getLogger(StopRequests.class);
    private static final long TTL_MS = 3_600_000;

    private final Map<String, Long> requested = new ConcurrentHashMap<>();

    @CountsDeadLetters
    @Incoming(Topics.CONTROL)
    public void onStop(ConsumerRecord<String, byte[]> record) {
        StopCandidate s = Records.parseKeyed(StopCandidate.parser(), Topics.CONTROL, record.key(), record.value(),
                StopCandidate::getGenomeId);
        long now = System.currentTimeMillis();
        requested.values().removeIf(at -> now - at > TTL_MS);
        requested.put(key(s.getGenomeId(), s.getDataset(), s.getExperimentId()), now);
        LOG.debugf("stop requested for %s (%s): %s", s.getGenomeId(), s.getExperimentId(), s.getReason());
    }

    boolean requested(String genomeId, String dataset, String experimentId) {
        return requested.containsKey(key(genomeId, dataset, experimentId));
    }

    void forget(String genomeId, String dataset, String experimentId) {
        requested.remove(key(genomeId, dataset, experimentId));
    }

    private static String key(String genomeId, String dataset, String experimentId) {
        return genomeId + "/" + dataset + "/" + experimentId;
    }
}
