package dev.mixrule.sampler;

import dev.mixrule.core.messaging.Topics;
import dev.mixrule.proto.Candidate;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** Publishes candidates to mixrule-candidates, keyed by genome id; returns once the broker acked. */
@ApplicationScoped
public class CandidatePublisher {
    private final Emitter<Record<String, byte[]>> emitter;

    public CandidatePublisher(@Channel(Topics.CANDIDATES) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                              Emitter<Record<String, byte[]>> emitter) {
        this.emitter = emitter;
    }

    public void publish(Candidate c) {
        emitter.send(Record.of(c.getGenomeId(), c.toByteArray())).toCompletableFuture().join();
    }
}
