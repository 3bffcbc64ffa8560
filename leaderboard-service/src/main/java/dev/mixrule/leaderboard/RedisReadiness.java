package dev.mixrule.leaderboard;

import dev.mixrule.leaderboard.store.LeaderboardStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while Redis answers. */
@Readiness
@ApplicationScoped
public class RedisReadiness implements HealthCheck {
    private final LeaderboardStore store;

    public RedisReadiness(LeaderboardStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            return store.ping() ? HealthCheckResponse.up("redis") : HealthCheckResponse.down("redis");
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("redis").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
