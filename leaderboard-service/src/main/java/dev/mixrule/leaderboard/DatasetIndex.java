package dev.mixrule.leaderboard;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

/**
 * The datasets that have entries: the {@code datasets} set that {@link dev.mixrule.leaderboard.store.LeaderboardStore} keeps up to
 * date on every write (see its key list). Kept apart from the store only so that branches changing
 * the store merge cleanly; it belongs there as {@code LeaderboardStore.datasets()}.
 */
@ApplicationScoped
public class DatasetIndex {
    private final JedisPool pool;
    private final String key;

    public DatasetIndex(@ConfigProperty(name = "mixrule.redis.url") String url,
                        @ConfigProperty(name = "mixrule.redis.prefix") String prefix) {
        this.pool = new JedisPool(URI.create(url));
        this.key = prefix + "datasets";
    }

    public List<String> datasets() {
        try (Jedis j = pool.getResource()) {
            return j.smembers(key).stream().sorted().toList();
        }
    }

    @PreDestroy
    void close() {
        pool.close();
    }
}
