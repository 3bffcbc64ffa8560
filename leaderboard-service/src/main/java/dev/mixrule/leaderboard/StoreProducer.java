package dev.mixrule.leaderboard;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The one LeaderboardStore of the service, configured from mixrule.redis.*. */
@ApplicationScoped
public class StoreProducer {
    @Produces
    @ApplicationScoped
    LeaderboardStore store(@ConfigProperty(name = "mixrule.redis.url") String url,
                           @ConfigProperty(name = "mixrule.redis.prefix") String prefix) {
        return new LeaderboardStore(url, prefix);
    }

    void close(@Disposes LeaderboardStore store) {
        store.close();
    }
}
