package dev.mixrule.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.proto.Experiment;
import dev.mixrule.proto.ExperimentSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class CurveChartTest {
    @Test
    void aSparklineMapsTheScaleOntoEightHeights() {
        assertEquals("▁▄▅█", CurveChart.sparkline(new double[] {0, 3 / 7.0, 4 / 7.0, 1}, 0, 1, true));
        assertEquals("_=#", CurveChart.sparkline(new double[] {0, 0.6, 1}, 0, 1, false));
        assertEquals("▁ █", CurveChart.sparkline(new double[] {0.2, Double.NaN, 0.9}, 0.2, 0.9, true), "NaN is a gap");
        assertEquals("▅▅", CurveChart.sparkline(new double[] {0.3, 0.3}, 0.3, 0.3, true), "a flat scale draws the middle");
    }

    @Test
    void bestSoFarRunsInTheMetricsDirectionAndSkipsGaps() {
        double[] v = {Double.NaN, 0.5, 0.4, 0.7, Double.NaN, 0.6};
        assertArrayEquals(new double[] {Double.NaN, 0.5, 0.5, 0.7, 0.7, 0.7}, CurveChart.bestSoFar(v, true));
        assertArrayEquals(new double[] {Double.NaN, 0.5, 0.4, 0.4, 0.4, 0.4}, CurveChart.bestSoFar(v, false));
        assertArrayEquals(new double[] {2, 4, 6}, CurveChart.lastOfEach(new double[] {1, 2, 3, 4, 5, 6}, 3));
    }

    @Test
    void aChartPutsOnePointPerEpochOnItsRowAndLabelsTheAxis() {
        String chart = CurveChart.chart(new double[] {0.1, 0.5, 0.9}, 5, false);
        List<String> rows = chart.lines().toList();
        assertEquals(7, rows.size(), chart);
        assertTrue(rows.get(0).startsWith("  0.9000 |") && rows.get(0).endsWith("      *"), chart);
        assertTrue(rows.get(2).startsWith("  0.5000 |") && rows.get(2).endsWith("   *   "), chart);
        assertTrue(rows.get(4).startsWith("  0.1000 |  *"), chart);
        assertTrue(rows.get(6).contains("  1  2  3  epoch"), chart);
    }

    @Test
    void theTableShowsEveryTrialOnOneScaleWithTheBestSoFar() {
        List<Trial> trials = TrialTableTest.trials();
        List<ExperimentCurves.Curve> curves = trials.stream().map(t -> ExperimentCurves.curve(t, ExperimentCurves.CurveMetric.VALID_ACCURACY)).toList();
        Experiment e = Experiment.newBuilder().setSpec(ExperimentSpec.newBuilder().setExperimentId("exp-1").setDataset("fashion-mnist"))
                .addReusedGenomeIds(TrialTableTest.B).build();
        String table = ExperimentCurves.table(e, ExperimentCurves.CurveMetric.VALID_ACCURACY, curves, true);
        List<String> rows = table.lines().toList();
        assertTrue(rows.get(0).contains("valid_accuracy per epoch, one scale 0.5000 .. 0.8400"), table);
        assertTrue(rows.get(2).startsWith(TrialTableTest.A + "  succeeded") && rows.get(2).contains("▅█ "), table);
        assertTrue(rows.get(3).contains("early_stopped*") && rows.get(3).contains(" - ") && rows.get(3).contains("▁"),
                "a curve-less entry shows its final value: " + table);
        assertTrue(rows.get(4).contains("failed") && rows.get(4).trim().endsWith("0.8400"), "the best so far carries on: " + table);
        assertTrue(table.contains("4 trial(s) (* reused"), table);
        assertTrue(rows.get(7).equals("best so far over the trials (same scale): ████  0.8400 -> 0.8400"), table);
    }
}
