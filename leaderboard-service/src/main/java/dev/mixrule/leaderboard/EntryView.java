package dev.mixrule.leaderboard;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.genome.ChainPlan;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.InvalidGenomeException;
import dev.mixrule.proto.LeaderboardEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A leaderboard entry as the web page needs it (a table row, a scatter point, a genome drawing),
 * without the per-evaluator details. JSON field names are snake_case, like the proto's.
 *
 * @param ruleFractions rule name -> share of the parameters it trains
 * @param genome the genome in {@link GenomeCodec}'s JSON (layers or NB-201 edges with their rules);
 *               null when only an evaluation has arrived so far
 * @param shapes chain genomes on a known dataset: the input [channels, height, width] after padding,
 *               then the output shape of every layer; null otherwise
 */
public record EntryView(String genomeId, String dataset, String experimentId, String canonical, List<String> rules,
                        Map<String, Double> ruleFractions, Map<String, Double> metrics, boolean unreliable, long updatedAtMs,
                        @JsonRawValue String genome, List<int[]> shapes, List<LayerView> layerAlignment) {

    /** One weight layer: derived exactness, and its update's angle to the true gradient in the last measured epoch (null: hebbian). */
    public record LayerView(String layer, String rule, boolean exactGradient, Double angleDegrees) {}

    public static EntryView of(LeaderboardEntry e) {
        List<LayerView> layers = e.getTraining().getLayerAlignmentList().stream().map(l -> new LayerView(l.getLayer(),
                l.getRule(), l.getExactGradient(), l.getAngleDegreesCount() == 0 ? null
                        : l.getAngleDegrees(l.getAngleDegreesCount() - 1))).toList();
        return new EntryView(e.getGenomeId(), e.getDataset(), e.getExperimentId(), e.getCanonical(), e.getRulesList(),
                new TreeMap<>(e.getCost().getRuleFractionsMap()), new TreeMap<>(e.getMetricsMap()), e.getUnreliable(), e.getUpdatedAtMs(),
                e.hasGenome() ? GenomeCodec.toJsonObject(e.getGenome()).toString() : null,
                shapes(e), layers);
    }

    private static List<int[]> shapes(LeaderboardEntry e) {
        if (!e.hasGenome() || !e.getGenome().hasChain() || !Datasets.NAMES.contains(e.getDataset())) {
            return null;
        }
        try {
            List<ChainPlan.Step> steps = ChainPlan.of(e.getGenome(), Datasets.shape(e.getDataset())).steps();
            List<int[]> out = new ArrayList<>(steps.size() + 1);
            ChainPlan.Step first = steps.get(0);
            out.add(new int[] {first.inChannels(), first.inHeight(), first.inWidth()});
            for (ChainPlan.Step s : steps) {
                out.add(new int[] {s.outChannels(), s.outHeight(), s.outWidth()});
            }
            return out;
        } catch (InvalidGenomeException ex) {
            return null; // trained elsewhere on another input size: draw the layers without shapes
        }
    }
}
