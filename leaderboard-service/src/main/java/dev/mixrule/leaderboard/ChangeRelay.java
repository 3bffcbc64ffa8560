package dev.mixrule.leaderboard;

import dev.mixrule.leaderboard.store.ChangeSubscription;
import dev.mixrule.leaderboard.store.LeaderboardStore;
import dev.mixrule.leaderboard.store.TopCache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Hands every change announced on Redis (by this replica or any other) to this replica's watchers,
 * and tells the Top cache which datasets changed.
 */
@ApplicationScoped
public class ChangeRelay {
    private final LeaderboardStore store;
    private final ChangeFeed feed;
    private final TopCache topCache;
    private volatile ChangeSubscription subscription;

    public ChangeRelay(LeaderboardStore store, ChangeFeed feed, @ConfigProperty(name = "mixrule.leaderboard.top-cache") int topCacheSize) {
        this.store = store;
        this.feed = feed;
        this.topCache = new TopCache(topCacheSize, this::connected);
    }

    void start(@Observes StartupEvent ev) {
        subscription = store.subscribe(e -> {
            topCache.changed(e.getDataset());
            feed.publish(e);
        }, topCache::reset);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (subscription != null) {
            subscription.close();
        }
    }

    boolean connected() {
        ChangeSubscription s = subscription;
        return s != null && s.connected();
    }

    TopCache topCache() {
        return topCache;
    }
}
