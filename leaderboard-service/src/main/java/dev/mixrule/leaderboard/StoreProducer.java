package dev.mixrule.leaderboard;

import dev.mixrule.leaderboard.store.LeaderboardStore;
import dev.mixrule.leaderboard.store.MetricSet;
import dev.mixrule.leaderboard.store.TrustFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The one LeaderboardStore of the service, configured from mixrule.redis.* and mixrule.leaderboard.*, its registry seeded from the trust file when one is set. */
@ApplicationScoped
public class StoreProducer {
    private static final Logger LOG = Logger.getLogger(StoreProducer.class);

    @Produces
    @ApplicationScoped
    LeaderboardStore store(@ConfigProperty(name = "mixrule.redis.url") String url,
                           @ConfigProperty(name = "mixrule.redis.prefix") String prefix,
                           @ConfigProperty(name = "mixrule.leaderboard.pareto-sets") String paretoSets,
                           @ConfigProperty(name = "mixrule.leaderboard.trust-file") Optional<String> trustFile) {
        List<MetricSet> sets = new ArrayList<>();
        for (String s : paretoSets.split(";")) {
            if (!s.isBlank()) {
                sets.add(MetricSet.parse(s));
            }
        }
        LeaderboardStore store = new LeaderboardStore(url, prefix, sets);
        trustFile.filter(f -> !f.isBlank()).ifPresent(f -> trust(store, Path.of(f)));
        return store;
    }

    /**
     * Registers the deployment's principals before any record is admitted (the store exists before the first one);
     * a name the file gives to one principal but another owns stops the service, saying which.
     */
    private static void trust(LeaderboardStore store, Path file) {
        TrustFile trust = TrustFile.read(file);
        List<String> conflicts = trust.applyTo(store.registry());
        if (!conflicts.isEmpty()) {
            store.close();
            throw new IllegalStateException("the trust file disagrees with the registry: " + String.join("; ", conflicts)
                    + ". Fix the file, or see docs/security.md (\"Trust file\") to move a name.");
        }
        LOG.infof("trust file %s: %d principal key(s) registered (%s)", file, trust.lines().size(),
                trust.lines().stream().map(TrustFile.Line::principal).distinct().toList());
    }

    void close(@Disposes LeaderboardStore store) {
        store.close();
    }
}
