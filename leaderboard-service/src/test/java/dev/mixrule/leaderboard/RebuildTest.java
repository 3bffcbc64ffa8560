package dev.mixrule.leaderboard;

import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.leaderboard.store.LeaderboardStore;
import dev.mixrule.leaderboard.store.ResultAdmission;
import dev.mixrule.leaderboard.store.ResultReplay;
import dev.mixrule.proto.DatasetStats;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import dev.mixrule.testkit.KafkaAndRedisResource;
import dev.mixrule.testkit.TestKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flushing the leaderboard's keys and replaying the results topics gives back the same entries. */
@QuarkusTest
@QuarkusTestResource(KafkaAndRedisResource.class)
class RebuildTest {
    @Test
    void rebuildFromTheTopicsGivesBackTheSameEntries() {
        String ds = "rebuild-test";
        List<Genome> trained = List.of(LeaderboardServiceTest.genome(8, "fa"), LeaderboardServiceTest.genome(16, "bp"),
                LeaderboardServiceTest.genome(32, "fa"));
        Genome untrained = LeaderboardServiceTest.genome(40, "fa");
        Genome failed = LeaderboardServiceTest.genome(48, "fa");
        ProvenanceIngestTest.sendEvaluation(ProvenanceIngestTest.evaluation(ds, trained.get(0), "accuracy", "1", "test_accuracy", 0.5));
        for (int i = 0; i < trained.size(); i++) {
            LeaderboardServiceTest.publishTraining(ds, "r", trained.get(i), 0.4 + i / 10.0);
            ProvenanceIngestTest.sendEvaluation(ProvenanceIngestTest.evaluation(ds, trained.get(i), "accuracy", "2", "test_accuracy", 0.6 + i / 10.0));
        }
        ProvenanceIngestTest.sendEvaluation(ProvenanceIngestTest.evaluation(ds, untrained, "accuracy", "1", "test_accuracy", 0.9));
        TrainingResult f = TrainingResult.newBuilder().setGenomeId(GenomeCodec.id(failed)).setDataset(ds).setExperimentId("r")
                .setStatus(TrainingStatus.TRAINING_STATUS_FAILED).setFailureReason("diverged").build();
        Signed.send(Topics.TRAINING_RESULTS, f.getGenomeId(), f.toByteArray());
        for (Genome g : trained) {
            ProvenanceIngestTest.awaitEntry(ds, g, e -> e.containsMetrics("test_accuracy") && e.getEvaluations(0).getEvaluator().getVersion().equals("2"));
        }
        LeaderboardServiceTest.sleep(1000); // let every other test's records settle too
        try (LeaderboardStore store = Signed.store()) {
            Map<String, LeaderboardEntry> before = entries(store);
            List<DatasetStats> statsBefore = store.stats(ds, "", "");
            assertEquals(1, statsBefore.get(0).getProgress().getFailed());
            assertTrue(before.keySet().containsAll(trained.stream().map(g -> ds + "/" + GenomeCodec.id(g)).toList()));
            assertFalse(before.containsKey(ds + "/" + GenomeCodec.id(untrained)));

            store.deleteLeaderboard();
            assertNull(store.get(ds, GenomeCodec.id(trained.get(0))));
            assertFalse(store.registry().principals().isEmpty(), "the registry survives");
            Properties kafka = TestKafka.client("admin"); // the test broker speaks SASL: replay as the operator does
            ResultReplay.Summary s = ResultReplay.replay(kafka, store.admission(ResultAdmission.DEFAULT_PENDING_TTL, 1000), Duration.ofMinutes(2), m -> { });
            assertTrue(s.read() > 0 && s.applied() > 0, s.toString());

            assertEquals(before, entries(store));
            assertEquals(statsBefore, store.stats(ds, "", ""));
        }
    }

    /** Every entry under the store's prefix by "dataset/genome", without its update time. */
    static Map<String, LeaderboardEntry> entries(LeaderboardStore store) {
        Map<String, LeaderboardEntry> out = new TreeMap<>();
        try (Jedis j = store.connection()) {
            for (String ds : store.datasets()) {
                String cursor = "0";
                do {
                    var page = j.scan(cursor, new ScanParams().match(store.keys().entryPattern(ds)).count(1000));
                    for (String key : page.getResult()) {
                        String id = key.substring(key.lastIndexOf(':') + 1);
                        out.put(ds + "/" + id, store.get(ds, id).toBuilder().setUpdatedAtMs(0).build());
                    }
                    cursor = page.getCursor();
                } while (!cursor.equals("0"));
            }
        }
        return out;
    }
}
