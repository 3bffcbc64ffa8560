package dev.mixrule.core.training;

import java.util.List;

/**
 * One weight layer's learning as measured in a run: angles in degrees, one per epoch, between its
 * update under its rules and the true gradient on that epoch's first batch (empty for hebbian layers).
 */
public record LayerAlignment(String layer, String rule, long parameters, boolean exactGradient, List<Double> angleDegrees) {
    public dev.mixrule.proto.LayerAlignment toProto() {
        return dev.mixrule.proto.LayerAlignment.newBuilder().setLayer(layer).setRule(rule).setParameters(parameters)
                .setExactGradient(exactGradient).addAllAngleDegrees(angleDegrees).build();
    }
}
