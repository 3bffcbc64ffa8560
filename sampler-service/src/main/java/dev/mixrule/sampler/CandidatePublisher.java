package dev.mixrule.sampler;

import dev.mixrule.kafka.GenomeSpans;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.StopCandidate;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
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
        try (GenomeSpans.Open span = spans.open("propose", c.getGenomeId(), c.getExperimentId())) {
            return candidates.send(Record.of(c.getGenomeId(), c.toByteArray()));
        }
    }

    /** Fire and forget: a lost stop request costs only the rest of one candidate's training. */
    public void stop(StopCandidate s) {
        control.send(Record.of(s.getGenomeId(), s.toByteArray()));
    }
}
