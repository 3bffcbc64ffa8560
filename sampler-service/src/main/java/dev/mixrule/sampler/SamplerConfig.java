package dev.mixrule.sampler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The sampler's own settings, mixrule.sampler.* (environment: MIXRULE_SAMPLER_*); each default is defined here only. */
@ConfigMapping(prefix = "mixrule.sampler")
public interface SamplerConfig {
    /** mixrule.sampler.timeout-check-ms: how often candidates past their experiment's candidate_timeout_seconds are told as failed. */
    @WithDefault("5000")
    long timeoutCheckMs();
}
