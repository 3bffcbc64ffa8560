package dev.mixrule.kernel.checkpoint;

import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.messaging.Names;
import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Checkpoints as files: {@code <root>/<genome_id>/<dataset>.ckpt}, URIs {@code file:///...}. */
public final class FileCheckpointStore implements CheckpointStore {
    private final Path root;

    public FileCheckpointStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public URI write(String genomeId, String dataset, Writer writer) throws IOException {
        if (!GenomeCodec.isGenomeId(genomeId)) {
            throw new IllegalArgumentException("not a genome id: '" + genomeId + "'");
        }
        if (!Names.isName(dataset)) {
            throw new IllegalArgumentException("not a dataset name: '" + dataset + "'");
        }
        Path dir = root.resolve(genomeId);
        Files.createDirectories(dir);
        Path target = dir.resolve(dataset + ".ckpt");
        Path tmp = Files.createTempFile(dir, dataset, ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            writer.writeTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target.toUri();
    }

    @Override
    public InputStream open(URI uri) throws IOException {
        if (!"file".equals(uri.getScheme())) {
            throw new IOException("checkpoint " + uri + ": this store reads file: URIs only");
        }
        try {
            return new java.io.BufferedInputStream(Files.newInputStream(Path.of(uri)), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException("checkpoint " + uri + " does not exist; is the checkpoint directory "
                    + "shared between trainer and evaluator (mixrule.checkpoint.dir)?");
        }
    }
}
