package dev.mixrule.kernel.checkpoint;

import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.messaging.Names;
import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
    public Checkpoint write(String genomeId, String dataset, Writer writer) throws IOException {
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
        MessageDigest digest = sha256();
        try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16), digest)) {
            writer.writeTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new Checkpoint(target.toUri(), HexFormat.of().formatHex(digest.digest()));
    }

    @Override
    public byte[] read(URI uri, String sha256) throws IOException {
        Path file = inside(uri);
        if (sha256 == null || sha256.isBlank()) {
            throw new CheckpointRefusedException("checkpoint " + uri + " comes without its checkpoint_sha256; refused"
                    + " (trainers record the hash of every checkpoint they write)");
        }
        byte[] bytes = Files.readAllBytes(file);
        String actual = HexFormat.of().formatHex(sha256().digest(bytes));
        if (!actual.equalsIgnoreCase(sha256.trim())) {
            throw new CheckpointRefusedException("checkpoint " + uri + " does not match its checkpoint_sha256 (expected "
                    + sha256.trim() + ", found " + actual + "); refused: it changed after training or is not the one trained");
        }
        return bytes;
    }

    /** The file a URI names, if it lies inside this store once normalised and with every symlink resolved. */
    private Path inside(URI uri) throws IOException {
        Path p;
        try {
            if (!"file".equals(uri.getScheme())) {
                throw new CheckpointRefusedException("checkpoint " + uri + ": this store reads file: URIs only");
            }
            p = Path.of(uri).toAbsolutePath().normalize();
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new CheckpointRefusedException("checkpoint URI '" + uri + "' is not a file path: " + e.getMessage());
        }
        String outside = "checkpoint " + uri + " lies outside the checkpoint store " + root + "; refused without reading it";
        if (!p.startsWith(root)) {
            throw new CheckpointRefusedException(outside);
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException("checkpoint " + uri + " does not exist; is the checkpoint directory "
                    + "shared between trainer and evaluator (mixrule.checkpoint.dir)?");
        }
        if (!real.startsWith(root.toRealPath())) {
            throw new CheckpointRefusedException(outside + " (a symbolic link leads out of it)");
        }
        return real;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
