package dev.mixrule.leaderboard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.proto.ChainArchitecture;
import dev.mixrule.proto.ChainLayer;
import dev.mixrule.proto.EpochMetrics;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.LayerKind;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.ModelCost;
import dev.mixrule.proto.TopResponse;
import dev.mixrule.proto.TrainingMetrics;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.testkit.TestRedis;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The summary view of Top (TopRequest.view = SUMMARY) against a real Redis: same ranking, same fields minus the heavy ones. */
class TopSummaryTest {
    LeaderboardStore store;

    @BeforeEach
    void open() {
        store = new LeaderboardStore(TestRedis.url(), "test-summary-" + UUID.randomUUID().toString().substring(0, 8) + ":", List.of());
    }

    @AfterEach
    void close() {
        store.deleteAll();
        store.close();
    }

    /** A trained and evaluated entry shaped like the pipeline's: genome, a 10-epoch curve, checkpoint, two evaluations. */
    void trainAndEvaluate(int i, String rule) {
        String id = LeaderboardStoreTest.id(i);
        TrainingMetrics.Builder m = TrainingMetrics.newBuilder().setValidAccuracy(0.5 + i / 100.0).setEpochsCompleted(10);
        for (int ep = 1; ep <= 10; ep++) {
            m.addEpochs(EpochMetrics.newBuilder().setEpoch(ep).setTrainLoss(1.0 / ep).setTrainAccuracy(0.05 * ep).setValidAccuracy(0.04 * ep));
        }
        Genome g = Genome.newBuilder().setChain(ChainArchitecture.newBuilder()
                .addLayers(ChainLayer.newBuilder().setKind(LayerKind.LAYER_KIND_CONV).setWidth(32).setKernel(3))
                .addLayers(ChainLayer.newBuilder().setKind(LayerKind.LAYER_KIND_DENSE).setWidth(10))).build();
        TrainingResult t = TrainingResult.newBuilder().setGenomeId(id).setDataset("d").setExperimentId("e").setGenome(g)
                .setCanonical("conv3x3-32@" + rule + ", dense-10@bp").setMetrics(m).setCheckpointUri("file:///ckpt/" + id)
                .setCheckpointSha256("ab".repeat(32)).setFinishedAtMs(1_000 + i).setProposedAtMs(500 + i)
                .setCost(ModelCost.newBuilder().setParameters(1000 + i).putRuleFractions(rule, 0.9).putRuleFractions("bp", 0.1)).build();
        store.update("d", id, old -> EntryMerge.withTraining(old, t, 2_000));
        store.update("d", id, old -> EntryMerge.withEvaluation(old, LeaderboardStoreTest.eval(id, "e", "1", 0.4 + i / 100.0, 0.1), 3_000));
        EvaluationResult both = LeaderboardStoreTest.eval(id, "e", "1", 0, 0);
        EvaluationResult noise = both.toBuilder().setEvaluator(both.getEvaluator().toBuilder().setName("noise")).clearMetrics()
                .putMetrics("noise_accuracy", 0.3).build();
        store.update("d", id, old -> EntryMerge.withEvaluation(old, noise, 3_000));
    }

    static LeaderboardStore.Query query(List<String> rules, boolean summary) {
        return new LeaderboardStore.Query("d", "valid_accuracy", 7, "e", rules, false, false, summary);
    }

    @Test
    void summaryIsTheFullListingWithoutTheHeavyFieldsInTheSameOrder() throws Exception {
        for (int i = 0; i < 16; i++) {
            trainAndEvaluate(i, i % 2 == 0 ? "fa" : "dfa");
        }
        for (List<String> rules : List.of(List.<String>of(), List.of("fa"))) { // framed bytes, and the filtered path
            TopResponse full = TopResponse.parseFrom(store.topResponse(query(rules, false)).toByteArray());
            TopResponse summary = TopResponse.parseFrom(store.topResponse(query(rules, true)).toByteArray());
            assertEquals(7, summary.getEntriesCount());
            assertEquals(full.getTotal(), summary.getTotal());
            for (int r = 0; r < 7; r++) {
                LeaderboardEntry f = full.getEntries(r);
                LeaderboardEntry s = summary.getEntries(r);
                assertEquals(EntrySummary.of(f), s, "rank " + (r + 1));
                assertTrue(f.hasGenome() && f.hasTraining() && f.getEvaluationsCount() == 2 && !f.getCheckpointUri().isEmpty());
                assertFalse(s.hasGenome() || s.hasTraining() || s.getEvaluationsCount() > 0 || !s.getCheckpointUri().isEmpty());
                assertEquals(f.getMetricsMap(), s.getMetricsMap());
                assertEquals(r + 1, s.getRank());
            }
            assertTrue(summary.getSerializedSize() * 2 < full.getSerializedSize(),
                    "summary " + summary.getSerializedSize() + " bytes vs full " + full.getSerializedSize());
        }
        assertEquals(store.top(query(List.of("fa"), false)).entries().stream().map(EntrySummary::of).toList(),
                store.top(query(List.of("fa"), true)).entries());
    }

    @Test
    void aSummaryFollowsEveryWriteOfItsEntry() throws Exception {
        trainAndEvaluate(1, "fa");
        trainAndEvaluate(2, "fa");
        String id = LeaderboardStoreTest.id(1);
        store.update("d", id, old -> EntryMerge.withEvaluation(old, LeaderboardStoreTest.eval(id, "e", "2", 0.99, 0.1), 4_000));
        TopResponse byTest = TopResponse.parseFrom(store.topResponse(new LeaderboardStore.Query("d", "test_accuracy", 2, "", List.of(),
                false, false, true)).toByteArray());
        assertEquals(id, byTest.getEntries(0).getGenomeId());
        assertEquals(0.99, byTest.getEntries(0).getMetricsOrThrow("test_accuracy"));
        assertEquals(EntrySummary.of(store.get("d", id)).toBuilder().setRank(1).build(), byTest.getEntries(0));
    }

    @Test
    void entriesStoredWithoutASummaryAreSummarisedOnRead() throws Exception {
        for (int i = 0; i < 5; i++) {
            trainAndEvaluate(i, "fa");
        }
        try (Jedis j = store.connection()) { // as left by a version that stored no summaries
            j.del(store.keys().summaryBytes("d", LeaderboardStoreTest.id(1)), store.keys().summaryBytes("d", LeaderboardStoreTest.id(3)));
        }
        TopResponse full = TopResponse.parseFrom(store.topResponse(query(List.of(), false)).toByteArray());
        TopResponse summary = TopResponse.parseFrom(store.topResponse(query(List.of(), true)).toByteArray());
        assertEquals(5, summary.getEntriesCount());
        assertEquals(full.getEntriesList().stream().map(EntrySummary::of).toList(), summary.getEntriesList());
    }
}
