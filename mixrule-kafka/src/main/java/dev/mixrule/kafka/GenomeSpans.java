package dev.mixrule.kafka;

import dev.mixrule.kernel.telemetry.SpanAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * One span per unit of a service's work on a genome ("train", "evaluate", "ingest", "propose"), carrying the genome
 * id and the experiment id ({@link SpanAttributes}). Opened inside an {@code @Incoming} method it is a child of the
 * consumer span the Kafka connector opened for the record (itself a child of the producer's span through the
 * record's {@code traceparent} header), and it is current while open, so the records the work sends go out as its
 * children. The connector's consumer span ends as soon as the record is received; this one lasts as long as the
 * work. A no-op while tracing is off (quarkus-opentelemetry's tracer then makes invalid spans).
 */
@ApplicationScoped
public class GenomeSpans {
    private final Tracer tracer;

    @Inject
    public GenomeSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Opens the span of {@code operation} on this genome; close it when the work is done. */
    public Open open(String operation, String genomeId, String experimentId) {
        Span span = tracer.spanBuilder(operation).setAttribute(SpanAttributes.GENOME_ID, genomeId).startSpan();
        if (experimentId != null && !experimentId.isEmpty()) {
            span.setAttribute(SpanAttributes.EXPERIMENT_ID, experimentId);
        }
        return new Open(span, span.makeCurrent());
    }

    /** An open span, current on this thread until closed. */
    public record Open(Span span, Scope scope) implements AutoCloseable {
        @Override
        public void close() {
            scope.close();
            span.end();
        }
    }
}
