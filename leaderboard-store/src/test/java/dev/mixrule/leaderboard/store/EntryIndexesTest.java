package dev.mixrule.leaderboard.store;

import static dev.mixrule.leaderboard.store.LeaderboardStoreTest.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.TrainingMetrics;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import dev.mixrule.testkit.TestRedis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.Tuple;

/**
 * The indexes an entry write keeps (rankings, names, counters) stay in step with the entries when a write sends
 * only what changed: every stored index equals the one recomputed from the stored entries.
 */
class EntryIndexesTest {
    static final MetricSet FRONT = LeaderboardStoreTest.FRONT;
    LeaderboardStore store;

    @BeforeEach
    void open() {
        store = new LeaderboardStore(TestRedis.url(), "test-indexes-" + UUID.randomUUID().toString().substring(0, 8) + ":", List.of(FRONT));
    }

    @AfterEach
    void close() {
        store.deleteAll();
        store.close();
    }

    static TrainingResult training(String genome, String experiment, double valid) {
        return TrainingResult.newBuilder().setGenomeId(genome).setDataset("d").setExperimentId(experiment)
                .setStatus(TrainingStatus.TRAINING_STATUS_SUCCEEDED).setMetrics(TrainingMetrics.newBuilder().setValidAccuracy(valid)).build();
    }

    /** An evaluation that reports test_accuracy, and apgd_accuracy unless it is NaN (then the metric is absent). */
    static EvaluationResult evaluation(String genome, String version, double test, double apgd) {
        EvaluationResult.Builder b = EvaluationResult.newBuilder().setGenomeId(genome).setDataset("d")
                .setEvaluator(EvaluatorId.newBuilder().setName("both").setVersion(version))
                .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).putMetrics("test_accuracy", test);
        if (!Double.isNaN(apgd)) {
            b.putMetrics("apgd_accuracy", apgd);
        }
        return b.build();
    }

    LeaderboardEntry train(String genome, String experiment, double valid) {
        TrainingResult t = training(genome, experiment, valid);
        return store.update("d", genome, old -> EntryMerge.withTraining(old, t, 1));
    }

    LeaderboardEntry evaluate(String genome, String version, double test, double apgd) {
        EvaluationResult e = evaluation(genome, version, test, apgd);
        return store.update("d", genome, old -> EntryMerge.withEvaluation(old, e, 1));
    }

    Double score(String metric, String experiment, String genome) {
        try (Jedis j = store.connection()) {
            return j.zscore(store.keys().rank("d", metric, experiment), genome);
        }
    }

    @Test
    void aMetricWhoseValueChangesMovesInTheRanking() {
        train(id(1), "e", 0.5);
        train(id(2), "e", 0.5);
        evaluate(id(1), "1", 0.9, 0.4);
        evaluate(id(2), "1", 0.8, 0.4);
        evaluate(id(1), "2", 0.7, 0.4);
        assertEquals(0.7, score("test_accuracy", null, id(1)));
        assertEquals(0.7, score("test_accuracy", "e", id(1)));
        var top = store.top(new LeaderboardStore.Query("d", "test_accuracy", 2, "e", List.of(), false, false));
        assertEquals(List.of(id(2), id(1)), top.entries().stream().map(LeaderboardEntry::getGenomeId).toList());
        assertIndexesMatchEntries();
    }

    @Test
    void aRemovedMetricLeavesTheRanking() {
        train(id(1), "e", 0.5);
        evaluate(id(1), "1", 0.9, 0.4);
        evaluate(id(1), "2", 0.9, Double.NaN); // version 2 no longer reports apgd_accuracy
        assertNull(score("apgd_accuracy", null, id(1)));
        assertNull(score("apgd_accuracy", "e", id(1)));
        assertEquals(0.9, score("test_accuracy", "e", id(1)));
        assertIndexesMatchEntries();
    }

    @Test
    void aRedeliveredResultChangesNoKey() {
        train(id(1), "e", 0.5);
        evaluate(id(1), "1", 0.9, 0.4);
        Map<String, String> before = dump();
        assertNull(train(id(1), "e", 0.5));
        assertNull(evaluate(id(1), "1", 0.9, 0.4));
        assertEquals(before, dump());
    }

    @Test
    void anEntryThatMovesToAnotherExperimentIsRankedThereWithUnchangedScores() {
        train(id(1), "e", 0.5);
        evaluate(id(1), "1", 0.9, 0.4);
        train(id(1), "f", 0.5); // a redelivered training result under another experiment id: same scores
        assertEquals(0.9, score("test_accuracy", "f", id(1)));
        assertNull(score("test_accuracy", "e", id(1)));
        assertTrue(members(store.keys().experiments("d")).contains("f"));
        assertIndexesMatchEntries();
    }

    @Test
    void namesAreCompleteAfterTheLeaderboardIsDeletedAndWrittenAgain() {
        train(id(1), "e", 0.5);
        evaluate(id(1), "1", 0.9, 0.4);
        store.deleteLeaderboard(); // the redis-flush drill: entries and indexes go together
        train(id(2), "e", 0.6);
        evaluate(id(2), "1", 0.8, 0.3);
        assertEquals(Set.of("d"), members(store.keys().datasets()));
        assertEquals(Set.of("e"), members(store.keys().experiments("d")));
        assertTrue(members(store.keys().metrics("d")).containsAll(Set.of("valid_accuracy", "test_accuracy", "apgd_accuracy")));
        assertIndexesMatchEntries();
    }

    @Test
    void randomWritesKeepEveryIndexInStep() {
        Random r = new Random(14);
        for (int step = 0; step < 300; step++) {
            String genome = id(r.nextInt(12));
            switch (r.nextInt(4)) {
                case 0 -> train(genome, List.of("", "e", "f").get(r.nextInt(3)), r.nextInt(4) / 4.0);
                case 1 -> evaluate(genome, String.valueOf(1 + r.nextInt(3)), r.nextInt(4) / 4.0, r.nextInt(3) == 0 ? Double.NaN : r.nextInt(4) / 4.0);
                case 2 -> evaluate(genome, "3", r.nextInt(4) / 4.0, r.nextInt(4) / 4.0);
                default -> train(genome, "e", 0.5);
            }
            if (step % 25 == 0) {
                assertIndexesMatchEntries();
            }
        }
        assertIndexesMatchEntries();
    }

    @Test
    void twoKeptSortsOverTheSameGenomesEachKeepTheirOwnPoints() {
        MetricSet other = MetricSet.parse("+test_accuracy,-apgd_accuracy");
        String prefix = store.prefix();
        store.close();
        store = new LeaderboardStore(TestRedis.url(), prefix, List.of(FRONT, other));
        Random r = new Random(7);
        for (int step = 0; step < 120; step++) {
            String genome = id(r.nextInt(15));
            if (r.nextInt(3) == 0) {
                train(genome, r.nextBoolean() ? "e" : "f", 0.5);
            } else {
                evaluate(genome, String.valueOf(1 + r.nextInt(3)), r.nextInt(5) / 4.0, r.nextInt(5) / 4.0);
            }
        }
        for (MetricSet set : List.of(FRONT, other)) {
            for (String exp : new String[] {null, "e", "f"}) {
                assertEquals(sortedFromEntries(set, exp), storedLayers(set, exp), set + " in experiment " + exp);
            }
        }
    }

    Map<String, Integer> sortedFromEntries(MetricSet set, String experiment) {
        Map<String, double[]> points = new HashMap<>();
        try (Jedis j = store.connection()) {
            for (String key : scan(j, store.keys().entryPattern("d"))) {
                LeaderboardEntry e = EntryCodec.parse(j.get(StoreKeys.bytes(key)));
                double[] p = set.orient(e.getMetricsMap());
                if (p != null && (experiment == null || experiment.equals(e.getExperimentId()))) {
                    points.put(e.getGenomeId(), p);
                }
            }
        }
        return ParetoLayers.sort(points);
    }

    Map<String, Integer> storedLayers(MetricSet set, String experiment) {
        Map<String, Integer> out = new HashMap<>();
        store.pareto("d", set, experiment, 1000, 10_000).getPointsList().forEach(p -> out.put(p.getEntry().getGenomeId(), p.getLayer()));
        return out;
    }

    /** Rankings and counters equal to those recomputed from the stored entries; every name of theirs known. */
    void assertIndexesMatchEntries() {
        Map<String, Map<String, Double>> ranks = new TreeMap<>();
        Map<String, Long> counters = new TreeMap<>();
        StoreKeys k = store.keys();
        try (Jedis j = store.connection()) {
            for (String key : scan(j, k.entryPattern("d"))) {
                LeaderboardEntry e = EntryCodec.parse(j.get(StoreKeys.bytes(key)));
                String exp = StoreKeys.experiment(e.getExperimentId());
                e.getMetricsMap().forEach((m, v) -> {
                    ranks.computeIfAbsent(k.rank("d", m, null), x -> new HashMap<>()).put(e.getGenomeId(), v);
                    if (exp != null) {
                        ranks.computeIfAbsent(k.rank("d", m, exp), x -> new HashMap<>()).put(e.getGenomeId(), v);
                    }
                });
                boolean[] flags = EntryCodec.flags(e);
                for (int f = 0; f < flags.length; f++) {
                    if (flags[f]) {
                        counters.merge(EntryCodec.COUNTERS.get(f), 1L, Long::sum);
                        if (exp != null) {
                            counters.merge(StoreKeys.counterPrefix(exp) + EntryCodec.COUNTERS.get(f), 1L, Long::sum);
                        }
                    }
                }
                assertTrue(j.smembers(k.metrics("d")).containsAll(e.getMetricsMap().keySet()), "metric names of " + e.getGenomeId());
                assertTrue(exp == null || j.sismember(k.experiments("d"), exp), "experiment of " + e.getGenomeId());
                assertTrue(j.sismember(k.datasets(), "d"));
            }
            Map<String, Map<String, Double>> stored = new TreeMap<>();
            for (String key : scan(j, k.prefix() + "rank:d:*")) {
                Map<String, Double> members = new HashMap<>();
                for (Tuple t : j.zrangeWithScores(key, 0, -1)) {
                    members.put(t.getElement(), t.getScore());
                }
                if (!members.isEmpty()) {
                    stored.put(key, members);
                }
            }
            assertEquals(ranks, stored);
            Map<String, Long> storedCounters = new TreeMap<>();
            j.hgetAll(k.stats("d")).forEach((f, v) -> {
                if (Long.parseLong(v) != 0) {
                    storedCounters.put(f, Long.parseLong(v));
                }
            });
            assertEquals(counters, storedCounters);
        }
    }

    Set<String> members(String key) {
        try (Jedis j = store.connection()) {
            return j.smembers(key);
        }
    }

    /** Every key under the store's prefix with its content (as Redis dumps it, so any difference shows). */
    Map<String, String> dump() {
        Map<String, String> out = new TreeMap<>();
        try (Jedis j = store.connection()) {
            for (String key : scan(j, store.keys().everything())) {
                out.put(key, HexFormat.of().formatHex(j.dump(key)));
            }
        }
        return out;
    }

    static List<String> scan(Jedis j, String pattern) {
        List<String> out = new ArrayList<>();
        String cursor = "0";
        do {
            var page = j.scan(cursor, new ScanParams().match(pattern).count(1000));
            out.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals("0"));
        return out;
    }
}
