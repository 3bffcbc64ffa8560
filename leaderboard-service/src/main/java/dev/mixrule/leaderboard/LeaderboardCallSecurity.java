package dev.mixrule.leaderboard;

import dev.mixrule.kernel.security.BearerTokenCheck;
import dev.mixrule.kernel.security.ChannelSecurity;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Who may call the Leaderboard: its API only reads, so anybody with TLS by default; every call needs the bearer
 * token when mixrule.leaderboard.require-token=true. At start, refuses to run without TLS unless plain-text
 * development mode is on (docs/security.md). The web page under /api has only GET endpoints.
 */
@Singleton
@GlobalInterceptor
public class LeaderboardCallSecurity extends BearerTokenCheck {
    private static final Logger LOG = Logger.getLogger(LeaderboardCallSecurity.class);

    private final String notice;

    LeaderboardCallSecurity(@ConfigProperty(name = "mixrule.insecure", defaultValue = "false") boolean insecure,
                            @ConfigProperty(name = "mixrule.leaderboard.require-token", defaultValue = "false") boolean requireToken,
                            @ConfigProperty(name = "mixrule.api.token") Optional<String> token,
                            @ConfigProperty(name = "quarkus.grpc.server.ssl.key-store") Optional<String> keyStore) {
        super(token.orElse(null), method -> requireToken);
        String warning = ChannelSecurity.check("leaderboard-service", insecure, keyStore, token, requireToken && !insecure);
        this.notice = warning != null ? warning : "gRPC over TLS; reads " + (requireToken ? "need the bearer token" : "open to TLS clients");
    }

    void onStart(@Observes StartupEvent event) {
        if (notice.startsWith("WARNING")) {
            LOG.warn(notice);
        } else {
            LOG.info(notice);
        }
    }
}
