package dev.mixrule.sampler;

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

    public CandidatePublisher(@Channel(Topics.CANDIDATES) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                              Emitter<Record<String, byte[]>> candidates,
                              @Channel(Topics.CONTROL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                              Emitter<Record<String, byte[]>> control) {
        this.candidates = candidates;
        this.control = control;
    }

    /** Completes once the broker acknowledged the candidate. */
    public CompletionStage<Void> publish(Candidate c) {
        return candidates.send(Record.of(c.getGenomeId(), c.toByteArray()));
    }

    /** Fire and forget: a lost stop request costs only the rest of one candidate's training. */
    public void stop(StopCandidate s) {
        control.send(Record.of(s.getGenomeId(), s.toByteArray()));
    }
}
