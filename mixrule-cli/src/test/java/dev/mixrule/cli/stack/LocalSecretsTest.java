package dev.mixrule.cli.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSecretsTest {
    @Test
    void firstStartMakesPrivateFilesAndLaterStartsReuseThem(@TempDir Path run) throws Exception {
        LocalSecrets s = LocalSecrets.ensure(run);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.dir())));
        try (var files = Files.list(s.dir())) {
            for (Path f : files.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
        }
        assertEquals(32, s.password("trainer").length());
        assertNotEquals(s.password("trainer"), s.password("evaluator"));
        assertEquals(32, s.token().length());
        LocalSecrets again = LocalSecrets.ensure(run);
        assertEquals(s.token(), again.token());
        for (String p : LocalSecrets.PRINCIPALS) {
            assertEquals(s.password(p), again.password(p), p);
        }
    }

    @Test
    void theServerCertificateIsSignedByTheLocalCaForLoopbackOnly(@TempDir Path run) throws Exception {
        LocalSecrets s = LocalSecrets.ensure(run);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(s.keyStore())) {
            ks.load(in, s.storePassword().toCharArray());
        }
        KeyStore ts = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(s.trustStore())) {
            ts.load(in, s.storePassword().toCharArray());
        }
        X509Certificate server = (X509Certificate) ks.getCertificate("server");
        X509Certificate ca = (X509Certificate) ts.getCertificate(LocalSecrets.CA_ALIAS);
        server.verify(ca.getPublicKey()); // throws unless the CA signed it
        List<String> names = server.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList();
        assertTrue(names.contains("127.0.0.1") && names.contains("localhost"), names.toString());
        assertTrue(ks.isKeyEntry("server"));
        assertTrue(Files.readString(s.caPem()).startsWith("-----BEGIN CERTIFICATE-----"));
    }
}
