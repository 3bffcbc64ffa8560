package dev.mixrule.core.evaluation;

import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.data.DataSplits;
import java.util.LinkedHashMap;
import java.util.Map;

/** Size and rule make-up: parameters, macs, bp_fraction and every rule's share (share_<rule>). */
public final class CostMetrics implements Evaluator {
    @Override
    public String name() {
        return "cost";
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public Result evaluate(TrainedModel model, DataSplits data, Settings settings) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("parameters", (double) model.plan().parameters());
        m.put("macs", (double) model.plan().macs());
        m.put("bp_fraction", model.plan().bpFraction());
        model.plan().ruleFractions().forEach((r, v) -> m.put("share_" + r.shortName(), v));
        return new Result(m, 0, "genome");
    }
}
