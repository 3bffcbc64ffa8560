package dev.mixrule.kernel.genome;

/**
 * One weight layer of a genome as training sees it, in network order.
 *
 * @param name "layers[2]" (chain), or "stem", "stage1.cell0.edge3", "reduce1.conv_a", "head" (nb201)
 * @param parameters its weights and bias (not the BatchNorm after it)
 * @param exactGradient derived from the genome: its weight update equals the true gradient of the loss
 *     (it learns from the error, and every layer between it and the loss, on every path, sends W^T delta)
 */
public record LayerSemantics(String name, Rule rule, long parameters, boolean exactGradient) {}
