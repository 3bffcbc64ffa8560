package dev.mixrule.bench;

import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.metrics.Metric;
import dev.mixrule.leaderboard.store.EntryMerge;
import dev.mixrule.leaderboard.store.LeaderboardStore;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.ModelCost;
import dev.mixrule.proto.TrainingMetrics;
import dev.mixrule.proto.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator's entries, as the pipeline makes them (training, then accuracy, robustness, noise and cost
 * evaluations), written with the store's bulk path: the keys and rankings of LeaderboardStore.update,
 * pipelined, no Pareto layers.
 */
final class LeaderboardFill {
    static final String DATASET = "bench";
    private static final List<String> GENOMES = List.of(
            "chain:pad2|conv5x5-6-p0-relu@bp|maxpool2|conv5x5-16-p0-relu@fa|maxpool2|dense-120-relu@usf|dense-84-relu@fa|dense-10@bp",
            "chain:pad0|conv3x3-32-p1-relu@fa|maxpool2|conv3x3-64-p1-relu@frsf|maxpool2|dense-10@bp",
            "chain:pad2|conv5x5-6-p0-tanh@dfa|avgpool2|conv5x5-16-p0-tanh@dfa|avgpool2|dense-84-tanh@dfa|dense-10@bp",
            "chain:pad0|conv3x3-16-p1-relu@brsf|maxpool2|conv3x3-32-p1-relu@usf|maxpool2|dense-64-relu@fa|dense-10@bp");
    private static final int THREADS = 2;
    private static final int BATCH = 5000;

    private final int entries;
    private final List<String> evaluators;

    LeaderboardFill(int entries, List<String> evaluators) {
        this.entries = entries;
        this.evaluators = evaluators;
    }

    /** Writes `entries` entries from two threads in batches; returns one of them (its size is the entry size). */
    LeaderboardEntry fill(LeaderboardStore store) throws Exception {
        List<LeaderboardEntry> templates = GENOMES.stream().map(this::template).toList();
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(pool.submit(() -> {
                    writeBatches(store, templates, next);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            System.err.print("\r");
        } finally {
            pool.shutdownNow();
        }
        return variant(templates.get(0), 0, new Random(0));
    }

    /** One writer: takes the next batch of indexes until all are written. */
    private void writeBatches(LeaderboardStore store, List<LeaderboardEntry> templates, AtomicLong next) {
        Random r = new Random();
        List<LeaderboardEntry> buf = new ArrayList<>(BATCH);
        for (long from; (from = next.getAndAdd(BATCH)) < entries; ) {
            buf.clear();
            for (long i = from; i < Math.min(entries, from + BATCH); i++) {
                buf.add(variant(templates.get((int) (i % templates.size())), i, r));
            }
            new BulkLoader(store).load(buf);
            if ((from / BATCH) % 40 == 0) {
                System.err.printf(Locale.ROOT, "\rfilling %,d / %,d", from, entries);
            }
        }
    }

    /** Ids the GetEntry clients ask for, drawn from the filled ones. */
    List<String> sampleIds() {
        List<String> ids = new ArrayList<>();
        Random r = new Random(2);
        for (int i = 0; i < 10_000; i++) {
            ids.add(String.format(Locale.ROOT, "%016x", 0x5eed000000000000L + r.nextInt(entries)));
        }
        return ids;
    }

    private LeaderboardEntry template(String canonical) {
        var g = GenomeCodec.fromCanonical(canonical);
        String id = GenomeCodec.id(g);
        TrainingResult t = TrainingResult.newBuilder().setGenomeId(id).setGenome(g).setCanonical(canonical).setDataset(DATASET)
                .setExperimentId("bench-exp").setCheckpointUri("file:///var/lib/mixrule/checkpoints/" + id + "/" + DATASET + ".ckpt")
                .setMetrics(TrainingMetrics.newBuilder().setTrainLoss(0.41).setTrainAccuracy(0.86).setValidAccuracy(0.85)
                        .setEpochsCompleted(2).setTrainSeconds(95.2).setTrainImagesPerSecond(1150).setTrainExamples(55000).setValidExamples(5000))
                .setCost(ModelCost.newBuilder().setParameters(61706).setMacs(429128).setBpFraction(0.4)
                        .putRuleFractions("bp", 0.4).putRuleFractions("fa", 0.35).putRuleFractions("usf", 0.25))
                .build();
        LeaderboardEntry e = EntryMerge.withTraining(null, t, 1);
        if (evaluators.contains("accuracy")) e = EntryMerge.withEvaluation(e, evaluation(id, "accuracy", "test:10000", 10000, Metric.TEST_ACCURACY.key(), 0.85), 1);
        if (evaluators.contains("robustness")) e = EntryMerge.withEvaluation(e, evaluation(id, "robustness", "screening:test[0:500]:linf:eps=0.1000:fgsm;pgd-10;apgd-ce-20;square-200;transfer-pgd-10",
                500, Metric.CLEAN_ACCURACY.key(), 0.85, Metric.FGSM_ACCURACY.key(), 0.21, Metric.PGD_ACCURACY.key(), 0.08, Metric.APGD_ACCURACY.key(), 0.06, Metric.SQUARE_ACCURACY.key(), 0.31,
                Metric.TRANSFER_ACCURACY.key(), 0.44, "pgd_accuracy_eps0.0500", 0.39, "pgd_accuracy_eps0.1000", 0.08, "pgd_accuracy_eps0.2000", 0.0,
                "pgd_accuracy_eps0.3000", 0.0), 1);
        if (evaluators.contains("noise")) e = EntryMerge.withEvaluation(e, evaluation(id, "noise", "test:2000:gaussian", 2000, "noise_accuracy_sigma0.05", 0.84,
                "noise_accuracy_sigma0.1", 0.80, "noise_accuracy_sigma0.2", 0.62), 1);
        if (evaluators.contains("cost")) e = EntryMerge.withEvaluation(e, evaluation(id, "cost", "static", 0, Metric.MACS.key(), 429128, "share_bp", 0.4, "share_fa", 0.35,
                "share_usf", 0.25), 1);
        return e;
    }

    private static EvaluationResult evaluation(String id, String name, String protocol, int examples, Object... metrics) {
        EvaluationResult.Builder b = EvaluationResult.newBuilder().setGenomeId(id).setDataset(DATASET).setExperimentId("bench-exp")
                .setEvaluator(EvaluatorId.newBuilder().setName(name).setVersion("1")).setProtocol(protocol)
                .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).setExamples(examples).setEvaluatedAtMs(1_760_000_000_000L);
        for (int i = 0; i < metrics.length; i += 2) {
            b.putMetrics((String) metrics[i], ((Number) metrics[i + 1]).doubleValue());
        }
        return b.build();
    }

    /** The template under a new id with its own scores (ids are not hashes of the genome here: only sizes matter). */
    private static LeaderboardEntry variant(LeaderboardEntry t, long i, Random r) {
        double acc = 0.5 + 0.45 * r.nextDouble();
        double apgd = acc * 0.3 * r.nextDouble();
        return t.toBuilder().setGenomeId(String.format(Locale.ROOT, "%016x", 0x5eed000000000000L + i))
                .putMetrics(Metric.TEST_ACCURACY.key(), acc).putMetrics(Metric.APGD_ACCURACY.key(), apgd)
                .putMetrics(Metric.VALID_ACCURACY.key(), acc - 0.01 + 0.02 * r.nextDouble()).setUpdatedAtMs(1_760_000_000_000L + i).build();
    }
}
