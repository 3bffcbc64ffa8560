package dev.mixrule.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mixrule.kernel.metrics.Metric;
import dev.mixrule.leaderboard.store.EntryJson;
import dev.mixrule.proto.EpochMetrics;
import dev.mixrule.proto.Experiment;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "curves", description = {
        "Learning curves of an experiment's trials (the per-epoch values their training results store): a sparkline per "
                + "trial on one shared scale, with its last and best value and the experiment's best so far (trials in "
                + "proposal order); with --genome, a chart of that trial's curve and its epochs' values.",
        "Trials trained before the curves were recorded show their final value only."})
final class ExperimentCurves extends TrialsCommand {
    /** The per-epoch values a training result stores. */
    enum CurveMetric {
        VALID_ACCURACY(Metric.VALID_ACCURACY, EpochMetrics::getValidAccuracy),
        TRAIN_ACCURACY(Metric.TRAIN_ACCURACY, EpochMetrics::getTrainAccuracy),
        TRAIN_LOSS(Metric.TRAIN_LOSS, EpochMetrics::getTrainLoss);

        final Metric metric;
        final ToDoubleFunction<EpochMetrics> value;

        CurveMetric(Metric metric, ToDoubleFunction<EpochMetrics> value) {
            this.metric = metric;
            this.value = value;
        }

        boolean maximize() {
            return metric.direction() == Metric.Direction.MAXIMIZE;
        }
    }

    /** One trial's curve of the chosen metric (empty: no epochs stored). */
    record Curve(Trial trial, List<EpochMetrics> epochs, double[] values) {
        double last() {
            return values.length == 0 ? Double.NaN : values[values.length - 1];
        }
    }

    @Option(names = "--genome", description = "one trial's curve as a chart (16 hex digits)") String genome;
    @Option(names = "--metric", defaultValue = "valid_accuracy", description = "valid_accuracy, train_accuracy or train_loss") String metric;
    @Option(names = "--json", description = "the curves as JSON, for machines") boolean json;
    @Option(names = "--height", defaultValue = "10", description = "rows of the --genome chart, 3..40") int height;
    @Option(names = "--ascii", description = "ASCII characters only (default: Unicode blocks when the output's encoding has them)")
    boolean ascii;

    @Override
    String problem() {
        if (curveMetric() == null) {
            return "--metric '" + metric + "' is not one of valid_accuracy, train_accuracy, train_loss (the values stored per epoch)";
        }
        return height < 3 || height > 40 ? "--height must be in 3..40, got " + height : null;
    }

    CurveMetric curveMetric() {
        for (CurveMetric m : CurveMetric.values()) {
            if (m.metric.key().equals(metric)) {
                return m;
            }
        }
        return null;
    }

    @Override
    int run(ExperimentTrials trials, Experiment experiment) {
        Experiment which = experiment;
        if (genome != null) {
            boolean reused = experiment.getReusedGenomeIdsList().contains(genome);
            if (!reused && !experiment.getGenomeIdsList().contains(genome)) {
                System.err.println("error: genome '" + genome + "' is not a trial of experiment " + id
                        + "; list its trials with: ./mixrule experiment curves " + id);
                return 1;
            }
            which = experiment.toBuilder().clearGenomeIds().clearReusedGenomeIds()
                    .addAllGenomeIds(reused ? List.of() : List.of(genome)).addAllReusedGenomeIds(reused ? List.of(genome) : List.of()).build();
        }
        CurveMetric m = curveMetric();
        List<Curve> curves = new ArrayList<>(ExperimentTrials.count(which));
        trials.forEachPage(which, pageSize, page -> page.forEach(t -> curves.add(curve(t, m))));
        if (json) {
            System.out.println(Output.GSON_WITH_NULLS.toJson(json(experiment, m, curves)));
        } else {
            System.out.print(genome != null ? chart(curves.get(0), m) : table(experiment, m, curves, unicode()));
        }
        return 0;
    }

    static Curve curve(Trial t, CurveMetric m) {
        List<EpochMetrics> epochs = t.entry() == null ? List.of() : t.entry().getTraining().getEpochsList();
        double[] values = epochs.stream().mapToDouble(m.value).toArray();
        if (values.length == 0 && t.entry() != null && t.entry().hasTraining()) {
            values = new double[] {m.value.applyAsDouble(last(t))}; // trained before curves were stored: the final value
        }
        return new Curve(t, epochs, values);
    }

    private static EpochMetrics last(Trial t) {
        var tr = t.entry().getTraining();
        return EpochMetrics.newBuilder().setEpoch(tr.getEpochsCompleted()).setTrainLoss(tr.getTrainLoss())
                .setTrainAccuracy(tr.getTrainAccuracy()).setValidAccuracy(tr.getValidAccuracy()).build();
    }

    private boolean unicode() {
        if (ascii) {
            return false;
        }
        String encoding = System.getProperty("sun.stdout.encoding", System.getProperty("file.encoding", "UTF-8"));
        try {
            return Charset.forName(encoding).newEncoder().canEncode(CurveChart.BLOCKS);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The sparkline table of every trial, on one scale, with the best so far, and a sparkline of that best. */
    static String table(Experiment e, CurveMetric m, List<Curve> curves, boolean unicode) {
        double[] scale = CurveChart.range(curves.stream().flatMapToDouble(c -> Arrays.stream(c.values())).toArray());
        double[] best = CurveChart.bestSoFar(curves.stream().mapToDouble(Curve::last).toArray(), m.maximize());
        int width = Math.max(5, curves.stream().mapToInt(c -> c.values().length).max().orElse(0));
        String row = "%-16s  %-14s  %6s  %-" + width + "s  %8s  %8s  %11s%n";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "experiment %s on %s: %s per epoch, one scale %s .. %s%n",
                e.getSpec().getExperimentId(), e.getSpec().getDataset(), m.metric.key(), CurveChart.fmt(scale[0]), CurveChart.fmt(scale[1])));
        sb.append(String.format(Locale.ROOT, row, "genome_id", "status", "epochs", "curve", "last", "best", "best_so_far"));
        for (int i = 0; i < curves.size(); i++) {
            Curve c = curves.get(i);
            double[] own = CurveChart.bestSoFar(c.values(), m.maximize());
            sb.append(String.format(Locale.ROOT, row, c.trial().genomeId(), c.trial().status().label() + (c.trial().reused() ? "*" : ""),
                    c.epochs().isEmpty() ? "-" : Integer.toString(c.epochs().size()), CurveChart.sparkline(c.values(), scale[0], scale[1], unicode),
                    CurveChart.fmt(c.last()), CurveChart.fmt(own.length == 0 ? Double.NaN : own[own.length - 1]), CurveChart.fmt(best[i])));
        }
        sb.append(String.format(Locale.ROOT, "%d trial(s)%s%n", curves.size(),
                e.getReusedGenomeIdsCount() > 0 ? " (* reused: its score was known, not trained again)" : ""));
        double first = Arrays.stream(best).filter(v -> !Double.isNaN(v)).findFirst().orElse(Double.NaN);
        if (!Double.isNaN(first)) {
            sb.append(String.format(Locale.ROOT, "best so far over the trials (same scale): %s  %s -> %s%n",
                    CurveChart.sparkline(CurveChart.lastOfEach(best, 60), scale[0], scale[1], unicode),
                    CurveChart.fmt(first), CurveChart.fmt(best[best.length - 1])));
        }
        return sb.toString();
    }

    /** One trial: its chart, then the values of every stored epoch. */
    String chart(Curve c, CurveMetric m) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "genome %s of experiment %s (%s), %s per epoch%n",
                c.trial().genomeId(), id, c.trial().status().label(), m.metric.key()));
        if (c.values().length == 0) {
            return sb.append("no training result yet: no curve\n").toString();
        }
        sb.append(CurveChart.chart(c.values(), height, unicode()));
        if (c.epochs().isEmpty()) {
            return sb.append("(trained before per-epoch curves were stored: the final value only)\n").toString();
        }
        sb.append(String.format(Locale.ROOT, "%5s  %10s  %14s  %14s%n", "epoch", "train_loss", "train_accuracy", "valid_accuracy"));
        for (EpochMetrics ep : c.epochs()) {
            sb.append(String.format(Locale.ROOT, "%5d  %10.4f  %14.4f  %14.4f%n", ep.getEpoch(), ep.getTrainLoss(),
                    ep.getTrainAccuracy(), ep.getValidAccuracy()));
        }
        return sb.toString();
    }

    /** {experiment_id, dataset, metric, maximize, trials: [{genome_id, status, reused, epochs, last, best_so_far}]}. */
    static JsonObject json(Experiment e, CurveMetric m, List<Curve> curves) {
        JsonObject o = new JsonObject();
        o.addProperty("experiment_id", e.getSpec().getExperimentId());
        o.addProperty("dataset", e.getSpec().getDataset());
        o.addProperty("metric", m.metric.key());
        o.addProperty("maximize", m.maximize());
        double[] best = CurveChart.bestSoFar(curves.stream().mapToDouble(Curve::last).toArray(), m.maximize());
        JsonArray trials = new JsonArray();
        for (int i = 0; i < curves.size(); i++) {
            Curve c = curves.get(i);
            JsonObject t = new JsonObject();
            t.addProperty("genome_id", c.trial().genomeId());
            t.addProperty("status", c.trial().status().label());
            t.addProperty("reused", c.trial().reused());
            t.add("epochs", Output.GSON.toJsonTree(c.epochs().stream().map(EntryJson::epoch).toList()));
            t.addProperty("last", Double.isNaN(c.last()) ? null : c.last());
            t.addProperty("best_so_far", Double.isNaN(best[i]) ? null : best[i]);
            trials.add(t);
        }
        o.add("trials", trials);
        return o;
    }
}
