package dev.mixrule.leaderboard;

import dev.mixrule.kernel.telemetry.Meter;
import dev.mixrule.kernel.telemetry.MeterLabels;
import dev.mixrule.leaderboard.store.ResultAdmission;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Locale;

/**
 * The leaderboard's meters (kernel {@link Meter}): results admitted by topic and outcome (their rate is the write
 * rate), and the time of every gRPC call by method and status ({@link QueryTiming}). Buckets from half a
 * millisecond (a cached Top) to ten seconds, so p99 comes out of Prometheus' histogram_quantile.
 */
@Singleton
public class LeaderboardMetrics {
    static final Duration[] QUERY_BUCKETS = {Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
        Duration.ofSeconds(10)};

    private final MeterRegistry registry;

    public LeaderboardMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One result record of {@code topic} admitted, with what became of it. */
    void wrote(String topic, ResultAdmission.Outcome outcome) {
        Counter.builder(Meter.LEADERBOARD_WRITES.key()).description(Meter.LEADERBOARD_WRITES.description())
                .tag(MeterLabels.TOPIC, topic).tag(MeterLabels.OUTCOME, outcome.name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }

    /** One gRPC call of {@code method} (its bare name) ended with {@code status} after {@code nanos}. */
    void queried(String method, Status.Code status, long nanos) {
        Timer.builder(Meter.LEADERBOARD_QUERY_TIME.key()).description(Meter.LEADERBOARD_QUERY_TIME.description())
                .tag(MeterLabels.METHOD, method).tag(MeterLabels.STATUS, status.name())
                .serviceLevelObjectives(QUERY_BUCKETS).register(registry).record(Duration.ofNanos(nanos));
    }
}
