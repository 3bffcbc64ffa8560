package dev.mixrule.leaderboard;

import dev.mixrule.leaderboard.store.LeaderboardStore;
import dev.mixrule.leaderboard.store.MetricSet;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The one LeaderboardStore of the service, configured from mixrule.redis.* and mixrule.leaderboard.*. */
@ApplicationScoped
public class StoreProducer {
    @Produces
    @ApplicationScoped
    LeaderboardStore store(@ConfigProperty(name = "mixrule.redis.url") String url,
                           @ConfigProperty(name = "mixrule.redis.prefix") String prefix,
                           @ConfigProperty(name = "mixrule.leaderboard.pareto-sets") String paretoSets) {
        List<MetricSet> sets = new ArrayList<>();
        for (String s : paretoSets.split(";")) {
            if (!s.isBlank()) {
                sets.add(MetricSet.parse(s));
            }
        }
        return new LeaderboardStore(url, prefix, sets);
    }

    void close(@Disposes LeaderboardStore store) {
        store.close();
    }
}
