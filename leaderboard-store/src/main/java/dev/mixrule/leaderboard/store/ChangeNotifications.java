package dev.mixrule.leaderboard.store;

import dev.mixrule.proto.LeaderboardEntry;
import java.net.URI;
import java.util.function.Consumer;
import redis.clients.jedis.Transaction;

/**
 * Change notifications on the pub/sub channel {@link StoreKeys#changes}: the written entry itself, published
 * inside the write's MULTI, so the order of messages is the order of writes and no reader needs a second
 * round trip to learn what changed.
 */
final class ChangeNotifications {
    private final URI redis;
    private final String channel;

    ChangeNotifications(URI redis, StoreKeys keys) {
        this.redis = redis;
        this.channel = keys.changes();
    }

    void publish(Transaction t, LeaderboardEntry updated) {
        t.publish(StoreKeys.bytes(channel), updated.toByteArray());
    }

    ChangeSubscription subscribe(Consumer<LeaderboardEntry> onChange, Runnable onConnected) {
        return new ChangeSubscription(redis, channel, onChange, onConnected);
    }
}
