package dev.mixrule.kernel.telemetry;

/**
 * The attribute names mixrule puts on trace spans (docs/observability.md, "Tracing"), named once like {@link Meter}:
 * the services' consumer spans carry the genome and the experiment, so one genome's trace can be found by its id.
 * Unlike a meter's labels, a span attribute may take unboundedly many values.
 */
public final class SpanAttributes {
    /** The genome id, the key of every record about the genome. */
    public static final String GENOME_ID = "mixrule.genome_id";
    /** The experiment the genome was proposed for (empty for a record sent outside an experiment: not set). */
    public static final String EXPERIMENT_ID = "mixrule.experiment_id";

    private SpanAttributes() {}
}
