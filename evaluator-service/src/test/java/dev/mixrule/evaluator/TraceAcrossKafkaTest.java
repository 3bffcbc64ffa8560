package dev.mixrule.evaluator;

import dev.mixrule.kernel.data.SyntheticShapes;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.kernel.telemetry.SpanAttributes;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import dev.mixrule.testkit.KafkaAndRedisResource;
import dev.mixrule.testkit.TestKafka;
import dev.mixrule.testkit.TopicProbe;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One genome's trace through the evaluator: a training result arrives with a W3C {@code traceparent} header (what
 * a trainer's producer span writes): the evaluator's consumer span continues that trace, its "evaluate" span under it
 * carries the genome and experiment ids, and the evaluation result (sent through an Emitter) goes out as a child of
 * that, with a
 * {@code traceparent} of the same trace for the leaderboard. Tracing is on in this module's test profile, with
 * {@link InMemorySpans} as the exporter.
 */
@QuarkusTest
@QuarkusTestResource(KafkaAndRedisResource.class)
class TraceAcrossKafkaTest {
    private static final String TRACEPARENT = "traceparent";

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theEvaluatorContinuesTheTrainersTraceAndPassesItOn() throws Exception {
        Genome g = GenomeCodec.fromCanonical("chain:pad0|dense-7@bp");
        String id = GenomeCodec.id(g);
        String traceId = randomHex(16);
        String trainerSpanId = randomHex(8);
        TrainingResult t = TrainingResult.newBuilder().setGenomeId(id).setGenome(g).setDataset(SyntheticShapes.NAME)
                .setExperimentId("trace-test").setStatus(TrainingStatus.TRAINING_STATUS_SUCCEEDED)
                .setCheckpointUri("file:///nonexistent/" + id + "/synthetic.ckpt").build();
        TopicProbe.send(TestKafka.bootstrapServers(), Topics.TRAINING_RESULTS, id, t.toByteArray(),
                Map.of(TRACEPARENT, ("00-" + traceId + "-" + trainerSpanId + "-01").getBytes(StandardCharsets.US_ASCII)));

        List<ConsumerRecord<String, byte[]>> out = TopicProbe.await(TestKafka.bootstrapServers(), Topics.EVALUATION_RESULTS,
                r -> id.equals(r.key()), 1, Duration.ofSeconds(60));
        assertEquals(1, out.size(), "no evaluation result for " + id);
        Header header = out.get(0).headers().lastHeader(TRACEPARENT);
        assertNotNull(header, "the evaluation result carries no traceparent");
        String[] parent = new String(header.value(), StandardCharsets.US_ASCII).split("-");
        assertEquals(traceId, parent[1], "the evaluation result is not in the training result's trace");

        SpanData consumer = awaitSpan(traceId, s -> s.getKind() == SpanKind.CONSUMER);
        assertEquals(trainerSpanId, consumer.getParentSpanId(), "the consumer span is not the trainer's span's child");
        SpanData evaluate = awaitSpan(traceId, s -> s.getName().equals("evaluate"));
        assertEquals(consumer.getSpanId(), evaluate.getParentSpanId(), "the evaluation is not the consumer span's child");
        assertEquals(id, evaluate.getAttributes().get(AttributeKey.stringKey(SpanAttributes.GENOME_ID)));
        assertEquals("trace-test", evaluate.getAttributes().get(AttributeKey.stringKey(SpanAttributes.EXPERIMENT_ID)));

        SpanData producer = awaitSpan(traceId, s -> s.getSpanId().equals(parent[2]));
        assertEquals(SpanKind.PRODUCER, producer.getKind());
        assertTrue(descendsFrom(producer, evaluate.getSpanId(), traceId),
                "the evaluation result's producer span " + producer + " does not descend from the evaluation " + evaluate);
    }

    private boolean descendsFrom(SpanData span, String ancestorId, String traceId) {
        SpanData at = span;
        for (int hops = 0; hops < 10 && at != null; hops++) {
            if (at.getParentSpanId().equals(ancestorId)) {
                return true;
            }
            String parentId = at.getParentSpanId();
            at = inTrace(traceId).stream().filter(s -> s.getSpanId().equals(parentId)).findFirst().orElse(null);
        }
        return false;
    }

    private List<SpanData> inTrace(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    private SpanData awaitSpan(String traceId, java.util.function.Predicate<SpanData> test) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < until) {
            Optional<SpanData> found = inTrace(traceId).stream().filter(test).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        return fail("no such span in trace " + traceId + "; spans: " + spans.getFinishedSpanItems());
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1; // never all zeros (an invalid id)
        return HexFormat.of().formatHex(b);
    }
}
