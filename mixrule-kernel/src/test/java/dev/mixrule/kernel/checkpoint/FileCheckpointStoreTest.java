package dev.mixrule.kernel.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCheckpointStoreTest {
    static final String ID = "0123456789abcdef";

    @Test
    void whatIsWrittenIsReadBackWithItsSha256(@TempDir Path dir) throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        Checkpoint ck = store.write(ID, "synthetic", out -> out.write(new byte[] {1, 2, 3}));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[] {1, 2, 3})), ck.sha256());
        assertArrayEquals(new byte[] {1, 2, 3}, store.read(ck.uri(), ck.sha256()));
    }

    @Test
    void bytesThatDoNotMatchTheHashAreRefused(@TempDir Path dir) throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        Checkpoint ck = store.write(ID, "synthetic", out -> out.write(new byte[] {1, 2, 3}));
        Files.write(Path.of(ck.uri()), new byte[] {1, 2, 4}); // changed after training
        CheckpointRefusedException e = assertThrows(CheckpointRefusedException.class, () -> store.read(ck.uri(), ck.sha256()));
        assertTrue(e.getMessage().contains("does not match its checkpoint_sha256"), e.getMessage());
        assertThrows(CheckpointRefusedException.class, () -> store.read(ck.uri(), ""), "a result without a hash is refused");
    }

    @Test
    void uriOutsideTheStoreIsRefusedWithoutOpeningIt(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "password=hunter2");
        FileCheckpointStore store = new FileCheckpointStore(dir.resolve("store"));
        Files.createDirectories(store.root());
        for (Path p : new Path[] {secret, store.root().resolve("../secret"), store.root().resolve("a/../../secret")}) {
            CheckpointRefusedException e = assertThrows(CheckpointRefusedException.class,
                    () -> store.read(p.toUri(), "0".repeat(64)));
            assertTrue(e.getMessage().contains("outside the checkpoint store"), e.getMessage());
            assertFalse(e.getMessage().contains("hunter2"));
        }
    }

    @Test
    void aSymbolicLinkLeadingOutOfTheStoreIsRefused(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "password=hunter2");
        FileCheckpointStore store = new FileCheckpointStore(dir.resolve("store"));
        Files.createDirectories(store.root().resolve(ID));
        Path link = Files.createSymbolicLink(store.root().resolve(ID).resolve("synthetic.ckpt"), secret);
        CheckpointRefusedException e = assertThrows(CheckpointRefusedException.class, () -> store.read(link.toUri(), "0".repeat(64)));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    }

    @Test
    void onlyFileUrisAreRead(@TempDir Path dir) {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        assertThrows(CheckpointRefusedException.class, () -> store.read(java.net.URI.create("s3://bucket/x.ckpt"), "0".repeat(64)));
    }
}
