package dev.mixrule.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.cli.stack.LocalStack;
import dev.mixrule.kafka.KafkaClientMeters;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.kernel.telemetry.Meter;
import dev.mixrule.kernel.telemetry.MeterLabels;
import dev.mixrule.testkit.ScrapedMetrics;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What Prometheus would read from a stack that just ran a pipeline (docs/observability.md): each service's
 * /q/metrics answers on its HTTP port and its counters moved by what went through it; Kafka's consumer lag is
 * there; the console logs are plain text unless asked for JSON.
 */
final class MetricsChecks {
    private MetricsChecks() {}

    /**
     * After {@code experiment} (of {@code sampled} candidates) and {@code trained} candidates in all went through, one
     * of them (the direct one) with the rule set {@code directRules}.
     */
    static void afterPipeline(LocalStack stack, String experiment, int sampled, int trained, String directRules) throws Exception {
        Map<String, String> ofExperiment = Map.of(MeterLabels.EXPERIMENT, experiment);
        ScrapedMetrics sampler = await(stack, "sampler-service", Meter.COMPLETIONS.prometheusName(), ofExperiment, sampled);
        assertTrue(sampler.sum(Meter.PROPOSALS.prometheusName(), ofExperiment) == sampled, sampler.text());

        String timeCount = Meter.TRAINING_TIME.prometheusName() + "_count";
        ScrapedMetrics trainer = await(stack, "trainer-service", timeCount, Map.of(), trained);
        assertTrue(trainer.sum(timeCount, Map.of(MeterLabels.RULES, directRules)) >= 1, directRules + ":\n" + trainer.text());
        assertTrue(trainer.sum(Meter.TRAINING_THROUGHPUT.prometheusName() + "_count") >= trained);
        assertTrue(trainer.sum(Meter.TRAININGS.prometheusName(), Map.of(MeterLabels.STATUS, "succeeded")) >= trained);
        // the trainers' queue length: Kafka's consumer lag by topic (its per-partition meters, bound within a minute) and group
        awaitSeries(stack, "trainer-service", "kafka_consumer_fetch_manager_records_lag_max",
                Map.of(MeterLabels.TOPIC, Topics.CANDIDATES, KafkaClientMeters.GROUP, "trainer-service"));

        await(stack, "evaluator-service", Meter.EVALUATION_TIME.prometheusName() + "_count",
                Map.of(MeterLabels.EVALUATOR, "accuracy", MeterLabels.STATUS, "succeeded"), trained);

        ScrapedMetrics board = await(stack, "leaderboard-service", Meter.LEADERBOARD_WRITES.prometheusName(),
                Map.of(MeterLabels.TOPIC, Topics.TRAINING_RESULTS, MeterLabels.OUTCOME, "applied"), trained);
        assertTrue(board.sum(Meter.LEADERBOARD_WRITES.prometheusName(), Map.of(MeterLabels.TOPIC, Topics.EVALUATION_RESULTS)) >= trained);
        assertTrue(board.sum(Meter.LEADERBOARD_QUERY_TIME.prometheusName() + "_count", Map.of(MeterLabels.METHOD, "Top")) >= 1);

        for (String service : stack.processNames().subList(2, stack.processNames().size())) {
            String first = Files.readAllLines(stack.process(service).logFile()).stream().filter(l -> !l.isBlank()).findFirst().orElse("");
            assertFalse(first.startsWith("{"), service + " logs JSON by default: " + first);
        }
    }

    /** Scrapes the service until {@code name} (with labels) reaches {@code atLeast}, for up to 90 s; fails otherwise. */
    static ScrapedMetrics await(LocalStack stack, String service, String name, Map<String, String> labels, double atLeast)
            throws Exception {
        ScrapedMetrics m = scrapeUntil(stack.httpPort(service), s -> s.sum(name, labels) >= atLeast);
        assertTrue(m.sum(name, labels) >= atLeast, service + " /q/metrics: " + name + labels + " = " + m.sum(name, labels)
                + ", expected at least " + atLeast + "\n" + m.text());
        return m;
    }

    /** Scrapes the service until a series of {@code name} with these labels shows, for up to 90 s; fails otherwise. */
    static void awaitSeries(LocalStack stack, String service, String name, Map<String, String> labels) throws Exception {
        ScrapedMetrics m = scrapeUntil(stack.httpPort(service), s -> s.has(name, labels));
        assertTrue(m.has(name, labels), service + " /q/metrics has no " + name + labels + "\n" + m.text());
    }

    private static ScrapedMetrics scrapeUntil(int port, Predicate<ScrapedMetrics> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        ScrapedMetrics m = ScrapedMetrics.scrape(port);
        while (!done.test(m) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            m = ScrapedMetrics.scrape(port);
        }
        return m;
    }
}
