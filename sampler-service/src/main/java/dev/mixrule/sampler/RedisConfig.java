package dev.mixrule.sampler;

import io.smallrye.config.ConfigMapping;

/** Where the sampler keeps its state, mixrule.redis.* (environment: MIXRULE_REDIS_URL, MIXRULE_REDIS_PREFIX), as the leaderboard reads it. */
@ConfigMapping(prefix = "mixrule.redis")
public interface RedisConfig {
    /** mixrule.redis.url, e.g. redis://127.0.0.1:6379 (application.properties). */
    String url();

    /** mixrule.redis.prefix: the sampler's keys are under {@code <prefix>sampler:}. */
    String prefix();
}
