package dev.mixrule.sampler;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one SamplerStore of the service, configured from mixrule.redis.*. */
@Singleton
public class StoreProducer {
    @Produces
    @Singleton
    SamplerStore store(RedisConfig redis) {
        return new SamplerStore(redis.url(), redis.prefix());
    }

    void close(@Disposes SamplerStore store) {
        store.close();
    }
}
