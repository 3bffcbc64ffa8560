package dev.mixrule.sampler;

import io.smallrye.config.ConfigMapping;

/** mixrule.sampler.* (environment: MIXRULE_SAMPLER_*; defaults in application.properties, the one place they are set). */
@ConfigMapping(prefix = "mixrule.sampler")
public interface SamplerConfig {
    /** How often candidates past their experiment's candidate_timeout_seconds are told as failed, in milliseconds. */
    long timeoutCheckMs();
}
