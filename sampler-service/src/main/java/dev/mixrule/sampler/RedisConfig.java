package dev.mixrule.sampler;

import io.smallrye.config.ConfigMapping;

/** mixrule.redis.* (environment: MIXRULE_REDIS_URL, MIXRULE_REDIS_PREFIX; defaults in application.properties). */
@ConfigMapping(prefix = "mixrule.redis")
public interface RedisConfig {
    /** The Redis the sampler keeps its experiments in, e.g. redis://127.0.0.1:6379. */
    String url();

    /** Key prefix: the sampler's keys are under {@code <prefix>sampler:}. */
    String prefix();
}
