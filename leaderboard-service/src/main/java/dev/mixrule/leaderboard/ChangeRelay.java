package dev.mixrule.leaderboard;

import dev.mixrule.leaderboard.store.ChangeSubscription;
import dev.mixrule.leaderboard.store.LeaderboardStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Hands every change announced on Redis (by this replica or any other) to this replica's watchers. */
@ApplicationScoped
public class ChangeRelay {
    private final LeaderboardStore store;
    private final ChangeFeed feed;
    private ChangeSubscription subscription;

    public ChangeRelay(LeaderboardStore store, ChangeFeed feed) {
        this.store = store;
        this.feed = feed;
    }

    void start(@Observes StartupEvent ev) {
        subscription = store.subscribe(feed::publish, () -> { });
    }

    void stop(@Observes ShutdownEvent ev) {
        if (subscription != null) {
            subscription.close();
        }
    }

    boolean connected() {
        return subscription != null && subscription.connected();
    }
}
