package dev.mixrule.kernel.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;

/**
 * Where trained weights live. Records on Kafka carry only the URI. The filesystem store is the
 * default; an object store is one more implementation.
 */
public interface CheckpointStore {
    /** Writes a checkpoint atomically (readers never see half a file) and returns its URI. */
    URI write(String genomeId, String dataset, Writer writer) throws IOException;

    /** Opens a checkpoint this store (or a store over the same place) wrote. */
    InputStream open(URI uri) throws IOException;

    @FunctionalInterface
    interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }
}
