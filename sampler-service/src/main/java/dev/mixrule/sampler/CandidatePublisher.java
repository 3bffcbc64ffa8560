package dev.mixrule.sampler;

import dev.mixrule.kafka.GenomeSpans;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.StopCandidate;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** Publishes candidates to mixrule-candidates and stop requests to mixrule-control, keyed by genome id. */
@ApplicationScoped
public class CandidatePublisher {
    private final Emitter<Record<String, byte[]>> candidates;
    private final Emitter<Record<String, byte[]>> control;
    private final GenomeSpans spans;

    public CandidatePublisher(@Channel(Topics.CANDIDATES) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                              Emitter<Record<String, byte[]>> candidates,
                              @Channel(Topics.CONTROL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                              Emitter<Record<String, byte[]>> control, GenomeSpans spans) {
        this.candidates = candidates;
        this.control = control;
        this.spans = spans;
    }

    /**
     * Completes once the broker acknowledged the candidate. Its "propose" span starts the genome's trace
     * (docs/observability.md, "Tracing"): the connector's producer span, and so every span downstream, is its child.
     */
    public CompletionStage<Void> publish(Candidate c) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try (GenomeSpans.Open span = spans.open("propose", c.getGenomeId(), c.getExperimentId())) {
            // the span's context rides on the message, so the producer span is its child on whichever thread the
            // buffered emitter hands the record to the connector
            candidates.send(Message.of(Record.of(c.getGenomeId(), c.toByteArray()),
                    Metadata.of(TracingMetadata.withCurrent(Context.current())),
                    () -> {
                        acked.complete(null);
                        return CompletableFuture.completedFuture(null);
                    },
                    failure -> {
                        acked.completeExceptionally(failure);
                        return CompletableFuture.completedFuture(null);
                    }));
        }
        return acked;
    }

    /** Fire and forget: a lost stop request costs only the rest of one candidate's training. */
    public void stop(StopCandidate s) {
        control.send(Record.of(s.getGenomeId(), s.toByteArray()));
    }
}
