package dev.mixrule.evaluator;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;

/** mixrule.checkpoint.*: where the trainers wrote the weights. */
@ConfigMapping(prefix = "mixrule.checkpoint")
public interface CheckpointConfig {
    Path dir();
}
