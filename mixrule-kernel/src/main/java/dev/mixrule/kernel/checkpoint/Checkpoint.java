package dev.mixrule.kernel.checkpoint;

import java.net.URI;

/** A stored checkpoint: where it is and the SHA-256 of its bytes (lower-case hex), which readers verify. */
public record Checkpoint(URI uri, String sha256) {}
