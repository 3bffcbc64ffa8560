package dev.mixrule.kernel.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyPairFilesTest {
    @TempDir
    Path dir;

    @Test
    void makesAPairOnceWithAPrivateKeyOnlyItsOwnerReadsAndKeepsIt() throws Exception {
        Path priv = dir.resolve("t.key");
        Path pub = dir.resolve("t.pub");
        assertTrue(KeyPairFiles.ensure(priv, pub));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)));
        String before = Files.readString(priv);
        assertFalse(KeyPairFiles.ensure(priv, pub), "kept when both exist");
        assertEquals(before, Files.readString(priv));
        byte[] value = {1, 2, 3};
        byte[] sig = RecordSignatures.sign(RecordSignatures.parsePrivate(before), "topic", "k", value);
        assertTrue(RecordSignatures.verify(RecordSignatures.parsePublic(Files.readString(pub)), "topic", "k", value, sig),
                "the two files are one pair");
        Files.delete(pub);
        assertTrue(KeyPairFiles.ensure(priv, pub), "a half pair is made anew");
        assertFalse(before.equals(Files.readString(priv)));
    }

    /** The deployments' documented way to make keys (docs/security.md) gives files we read. */
    @Test
    void readsTheKeysOpensslMakes() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "no openssl here");
        Path priv = dir.resolve("o.key");
        Path pub = dir.resolve("o.pub");
        Process p = new ProcessBuilder("/usr/bin/openssl", "genpkey", "-algorithm", "ed25519", "-out", priv.toString()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0);
        p = new ProcessBuilder("/usr/bin/openssl", "pkey", "-in", priv.toString(), "-pubout", "-out", pub.toString()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0);
        byte[] value = "v".getBytes(StandardCharsets.UTF_8);
        byte[] sig = RecordSignatures.sign(RecordSignatures.parsePrivate(Files.readString(priv)), "t", null, value);
        assertTrue(RecordSignatures.verify(RecordSignatures.parsePublic(Files.readString(pub)), "t", null, value, sig));
    }
}
