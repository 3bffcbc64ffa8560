package dev.mixrule.leaderboard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.proto.DatasetStats;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.ParetoPoint;
import dev.mixrule.proto.ParetoResponse;
import dev.mixrule.proto.Progress;
import dev.mixrule.proto.TopResponse;
import dev.mixrule.proto.TrainingMetrics;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.testkit.TestRedis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real Redis (127.0.0.1:6379 or an embedded one), each test under its own key prefix. */
class LeaderboardStoreTest {
    /** A kept set over the metrics these entries carry (the store keeps any configured set alike). */
    static final MetricSet FRONT = MetricSet.parse("+test_accuracy,+apgd_accuracy");
    LeaderboardStore a;
    LeaderboardStore b; // a second replica over the same Redis and prefix

    @BeforeEach
    void open() {
        String prefix = "test-store-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        a = new LeaderboardStore(TestRedis.url(), prefix, List.of(FRONT));
        b = new LeaderboardStore(TestRedis.url(), prefix, List.of(FRONT));
    }

    @AfterEach
    void close() {
        a.deleteAll();
        a.close();
        b.close();
    }

    static String id(int i) {
        return String.format(Locale.ROOT, "%016x", 0xabc0000L + i);
    }

    static EvaluationResult eval(String genome, String experiment, String version, double test, double apgd) {
        return EvaluationResult.newBuilder().setGenomeId(genome).setDataset("d").setExperimentId(experiment)
                .setEvaluator(EvaluatorId.newBuilder().setName("both").setVersion(version))
                .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED)
                .putMetrics("test_accuracy", test).putMetrics("apgd_accuracy", apgd).build();
    }

    static LeaderboardEntry put(LeaderboardStore s, String genome, String experiment, String version, double test, double apgd) {
        EvaluationResult e = eval(genome, experiment, version, test, apgd);
        return s.update("d", genome, old -> EntryMerge.withEvaluation(old, e, System.currentTimeMillis()));
    }

    static LeaderboardEntry train(LeaderboardStore s, String genome, String experiment, double valid) {
        TrainingResult t = TrainingResult.newBuilder().setGenomeId(genome).setDataset("d").setExperimentId(experiment)
                .setMetrics(TrainingMetrics.newBuilder().setValidAccuracy(valid)).build();
        return s.update("d", genome, old -> EntryMerge.withTraining(old, t, System.currentTimeMillis()));
    }

    Map<String, Integer> storedLayers(String experiment) {
        Map<String, Integer> out = new HashMap<>();
        for (ParetoPoint p : a.pareto("d", FRONT, experiment, 100, 1000).getPointsList()) {
            out.put(p.getEntry().getGenomeId(), p.getLayer());
        }
        return out;
    }

    @Test
    void theSameEvaluationTwiceIsOneEntryAndCountsDoNotMove() {
        assertNotNull(put(a, id(1), "e", "1", 0.8, 0.3));
        Progress before = a.stats("d", "", "test_accuracy").get(0).getProgress();
        assertNull(put(b, id(1), "e", "1", 0.8, 0.3), "a redelivered result changes nothing");
        DatasetStats after = a.stats("d", "", "test_accuracy").get(0);
        assertEquals(before, after.getProgress());
        assertEquals(1, after.getProgress().getEntries());
        assertEquals(1, after.getProgress().getEvaluated());
        assertEquals(0, after.getProgress().getTrained());
        assertEquals(1, a.top(new LeaderboardStore.Query("d", "test_accuracy", 10, "", List.of(), false, false)).total());
    }

    @Test
    void progressCountsTrainingEvaluationAndFailuresPerExperiment() {
        train(a, id(1), "e1", 0.5);
        put(a, id(1), "e1", "1", 0.7, 0.2);
        train(a, id(2), "e1", 0.6);
        put(b, id(3), "e2", "1", 0.9, 0.1);
        a.recordTrainingFailure("d", "e1", id(4));
        a.recordTrainingFailure("d", "e1", id(4)); // redelivered
        DatasetStats s = a.stats("d", "", "test_accuracy").get(0);
        assertEquals(Progress.newBuilder().setEntries(3).setTrained(2).setEvaluated(2).setFailed(1)
                .setBestGenomeId(id(3)).setBestValue(0.9).build(), s.getProgress());
        assertEquals(2, s.getExperimentsCount());
        Progress e1 = s.getExperiments(0).getProgress();
        assertEquals("e1", s.getExperiments(0).getExperimentId());
        assertEquals(Progress.newBuilder().setEntries(2).setTrained(2).setEvaluated(1).setFailed(1)
                .setBestGenomeId(id(1)).setBestValue(0.7).build(), e1);
        train(a, id(4), "e1", 0.4); // the retry succeeded: no longer failed
        assertEquals(0, a.stats("d", "e1", "test_accuracy").get(0).getExperiments(0).getProgress().getFailed());
        a.recordTrainingFailure("d", "e1", id(4)); // a late copy of the old failure
        assertEquals(0, a.stats("d", "e1", "test_accuracy").get(0).getExperiments(0).getProgress().getFailed());
    }

    @Test
    void aScoreThatDropsMovesDownTheRanking() {
        put(a, id(1), "e", "1", 0.9, 0.1);
        put(a, id(2), "e", "1", 0.8, 0.1);
        put(a, id(3), "e", "1", 0.7, 0.1);
        put(b, id(1), "e", "2", 0.75, 0.1); // a newer evaluator version lowers genome 1
        List<LeaderboardEntry> top = a.top(new LeaderboardStore.Query("d", "test_accuracy", 3, "", List.of(), false, false)).entries();
        assertEquals(List.of(id(2), id(1), id(3)), top.stream().map(LeaderboardEntry::getGenomeId).toList());
        assertEquals(List.of(1, 2, 3), top.stream().map(LeaderboardEntry::getRank).toList());
    }

    @Test
    void theFramedTopResponseReadsBackAsTheParsedOne() throws Exception {
        for (int i = 0; i < 30; i++) {
            put(a, id(i), "e", "1", (i * 37 % 30) / 30.0, 0.1);
        }
        for (boolean ascending : new boolean[] {false, true}) {
            LeaderboardStore.Query q = new LeaderboardStore.Query("d", "test_accuracy", 25, "e", List.of(), ascending, false);
            LeaderboardStore.Page page = a.top(q);
            TopResponse parsed = TopResponse.newBuilder().addAllEntries(page.entries()).setTotal(page.total()).build();
            TopResponse framed = TopResponse.parseFrom(a.topResponse(q).toByteArray());
            assertEquals(parsed, framed);
            assertEquals(25, framed.getEntriesCount());
            assertEquals(30, framed.getTotal());
            assertEquals(25, framed.getEntries(24).getRank());
        }
        LeaderboardStore.Query none = new LeaderboardStore.Query("d", "no_metric", 5, "", List.of(), false, false);
        assertEquals(TopResponse.newBuilder().setTotal(0).build(), TopResponse.parseFrom(a.topResponse(none).toByteArray()));
    }

    @Test
    void paretoFrontFollowsUpdatesThatDominateEarlierPoints() {
        put(a, id(1), "e", "1", 0.80, 0.30);
        put(a, id(2), "e", "1", 0.70, 0.40);
        put(a, id(3), "e", "1", 0.60, 0.20);
        assertEquals(Map.of(id(1), 0, id(2), 0, id(3), 1), storedLayers(null));
        put(b, id(4), "e", "1", 0.85, 0.45); // dominates everything
        assertEquals(Map.of(id(4), 0, id(1), 1, id(2), 1, id(3), 2), storedLayers(null));
        put(a, id(4), "e", "2", 0.10, 0.10); // falls behind everything: the others move back up
        assertEquals(Map.of(id(1), 0, id(2), 0, id(3), 1, id(4), 2), storedLayers(null));
        ParetoResponse front = a.pareto("d", FRONT, "", 1, 100);
        assertTrue(front.getMaintained());
        assertEquals(4, front.getSorted());
        assertEquals(3, front.getLayerCount());
        // sorted by the first metric of the canonical set (apgd_accuracy), best first
        assertEquals(List.of(id(2), id(1)), front.getPointsList().stream().map(p -> p.getEntry().getGenomeId()).toList());
        // a replica that keeps no sets sorts on request and must give the same answer
        try (LeaderboardStore none = new LeaderboardStore(TestRedis.url(), a.prefix(), List.of())) {
            ParetoResponse adHoc = none.pareto("d", FRONT, "", 1, 100);
            assertEquals(front.toBuilder().setMaintained(false).build(), adHoc);
        }
    }

    @Test
    void concurrentWritersThroughTwoReplicasKeepTheLayersOfABruteForceSort() throws Exception {
        Random r = new Random(7);
        int genomes = 40;
        List<double[]> finalPoint = new ArrayList<>();
        List<List<double[]>> versions = new ArrayList<>();
        for (int g = 0; g < genomes; g++) {
            List<double[]> vs = new ArrayList<>();
            for (int v = 0; v < 4; v++) {
                vs.add(new double[] {r.nextInt(6) / 10.0, r.nextInt(6) / 10.0});
            }
            versions.add(vs);
            finalPoint.add(vs.get(vs.size() - 1));
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                LeaderboardStore s = w % 2 == 0 ? a : b;
                int worker = w;
                done.add(pool.submit(() -> {
                    // each genome is written by one worker, versions in order; workers race on the shared layers
                    for (int g = worker; g < genomes; g += 6) {
                        for (int v = 0; v < 4; v++) {
                            double[] p = versions.get(g).get(v);
                            put(s, id(g), g % 3 == 0 ? "x" : "y", String.valueOf(v + 1), p[0], p[1]);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, double[]> all = new HashMap<>();
        Map<String, double[]> x = new HashMap<>();
        for (int g = 0; g < genomes; g++) {
            double[] p = finalPoint.get(g);
            double[] oriented = {p[1], p[0]}; // canonical order: apgd_accuracy, test_accuracy
            all.put(id(g), oriented);
            if (g % 3 == 0) {
                x.put(id(g), oriented);
            }
        }
        assertEquals(ParetoLayers.sort(all), storedLayers(null));
        assertEquals(ParetoLayers.sort(x), storedLayers("x"));
    }

    @Test
    void aWatcherOnOneReplicaSeesWritesOfTheOtherInOrder() throws Exception {
        LinkedBlockingQueue<LeaderboardEntry> seen = new LinkedBlockingQueue<>();
        try (ChangeSubscription sub = a.subscribe(seen::add, () -> { })) {
            assertTrue(sub.awaitConnected(5000));
            for (int v = 1; v <= 20; v++) {
                put(b, id(1), "e", String.valueOf(v), v / 100.0, 0.1);
                put(b, id(2), "e", String.valueOf(v), v / 100.0, 0.2);
            }
            put(b, id(1), "e", "20", 0.20, 0.1); // no change: no notification
            double last1 = 0;
            double last2 = 0;
            int count = 0;
            long deadline = System.currentTimeMillis() + 10_000;
            while ((last1 < 0.20 || last2 < 0.20) && System.currentTimeMillis() < deadline) {
                LeaderboardEntry e = seen.poll(1, TimeUnit.SECONDS);
                if (e == null) {
                    continue;
                }
                count++;
                double acc = e.getMetricsOrThrow("test_accuracy");
                if (e.getGenomeId().equals(id(1))) {
                    assertTrue(acc > last1, "genome 1 went from " + last1 + " back to " + acc);
                    last1 = acc;
                } else {
                    assertTrue(acc > last2, "genome 2 went from " + last2 + " back to " + acc);
                    last2 = acc;
                }
            }
            assertEquals(0.20, last1, 1e-12);
            assertEquals(0.20, last2, 1e-12);
            assertTrue(count >= 2 && count <= 40, count + " notifications");
            assertNull(seen.poll(500, TimeUnit.MILLISECONDS), "nothing after the last change");
        }
    }
}
