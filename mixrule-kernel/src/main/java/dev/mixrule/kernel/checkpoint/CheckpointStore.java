package dev.mixrule.kernel.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;

/**
 * Where trained weights live. Records on Kafka carry only the URI and the SHA-256 of the bytes. The
 * filesystem store is the default; an object store is one more implementation.
 */
public interface CheckpointStore {
    /** Writes a checkpoint atomically (readers never see half a file); returns its URI and SHA-256. */
    Checkpoint write(String genomeId, String dataset, Writer writer) throws IOException;

    /**
     * Reads a checkpoint whole, only if its URI lies inside this store (after normalisation and symlink
     * resolution; otherwise it is refused without being opened) and its bytes have the SHA-256 {@code sha256}.
     *
     * @throws CheckpointRefusedException outside the store, no hash given, or a hash that does not match
     */
    byte[] read(URI uri, String sha256) throws IOException;

    @FunctionalInterface
    interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }
}
