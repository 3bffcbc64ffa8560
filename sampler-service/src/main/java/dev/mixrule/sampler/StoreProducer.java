package dev.mixrule.sampler;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The one SamplerStore of the service, configured from mixrule.redis.*. */
@Singleton
public class StoreProducer {
    @Produces
    @Singleton
    SamplerStore store(@ConfigProperty(name = "mixrule.redis.url") String url,
                       @ConfigProperty(name = "mixrule.redis.prefix") String prefix) {
        return new SamplerStore(url, prefix);
    }

    void close(@Disposes SamplerStore store) {
        store.close();
    }
}
