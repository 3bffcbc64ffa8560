package dev.mixrule.sampler;

import dev.mixrule.kernel.security.BearerTokenCheck;
import dev.mixrule.kernel.security.ChannelSecurity;
import dev.mixrule.proto.SamplerGrpc;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Who may call the Sampler: anybody may read (GetExperiment, ListExperiments); creating, stopping and resuming
 * experiments need the bearer token (mixrule.api.token). At start, refuses to run without TLS unless
 * plain-text development mode is on (docs/security.md).
 */
@Singleton
@GlobalInterceptor
public class SamplerCallSecurity extends BearerTokenCheck {
    static final Set<String> MUTATING = Set.of(SamplerGrpc.getCreateExperimentMethod().getFullMethodName(),
            SamplerGrpc.getStopExperimentMethod().getFullMethodName(), SamplerGrpc.getResumeExperimentMethod().getFullMethodName());
    private static final Logger LOG = Logger.getLogger(SamplerCallSecurity.class);

    private final String warning;

    SamplerCallSecurity(@ConfigProperty(name = "mixrule.insecure", defaultValue = "false") boolean insecure,
                        @ConfigProperty(name = "mixrule.api.token") Optional<String> token,
                        @ConfigProperty(name = "quarkus.grpc.server.ssl.key-store") Optional<String> keyStore) {
        super(token.orElse(null), MUTATING::contains);
        this.warning = ChannelSecurity.check("sampler-service", insecure, keyStore, token, !insecure);
    }

    void onStart(@Observes StartupEvent event) {
        if (warning != null) {
            LOG.warn(warning);
        }
    }
}
