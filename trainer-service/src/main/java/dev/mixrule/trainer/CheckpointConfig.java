package dev.mixrule.trainer;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;

/** mixrule.checkpoint.*: where weights go (the evaluators must see the same directory). */
@ConfigMapping(prefix = "mixrule.checkpoint")
public interface CheckpointConfig {
    Path dir();
}
