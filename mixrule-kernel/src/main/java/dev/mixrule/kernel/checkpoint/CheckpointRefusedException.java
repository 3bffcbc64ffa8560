package dev.mixrule.kernel.checkpoint;

import java.io.IOException;

/**
 * A checkpoint the store will not read: its URI leaves the store, or its bytes do not match the SHA-256
 * the training result carries. The message names the URI and the reason, never the file's contents.
 */
public class CheckpointRefusedException extends IOException {
    public CheckpointRefusedException(String message) {
        super(message);
    }
}
