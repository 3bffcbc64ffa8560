package dev.mixrule.cli.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The local stack's identities, made on first start into {@code <run dir>/secrets} (directory 0700, files
 * 0600) and reused afterwards: a local certificate authority, one server certificate for 127.0.0.1 and
 * localhost signed by it (PKCS12 key store, and the CA as a PKCS12 trust store and as PEM for non-Java
 * clients), one random password per principal and the bearer token of the gRPC calls that change state.
 * Every CLI command and every service the stack starts
 * reads them from here, so nobody types a credential. Nothing leaves the machine; delete the directory to
 * rotate everything (docs/security.md).
 *
 * <p>Principals: the services (sampler, trainer, evaluator, leaderboard), the operator's CLI (admin) and
 * the Kafka broker itself (broker).
 */
public final class LocalSecrets {
    public static final List<String> PRINCIPALS = List.of("broker", "admin", "sampler", "trainer", "evaluator", "leaderboard");
    static final String CA_ALIAS = "mixrule-local-ca";

    private final Path dir;
    private final Properties passwords = new Properties();

    private LocalSecrets(Path dir) {
        this.dir = dir;
    }

    /** The secrets under {@code runDir/secrets}, made now if any is missing. */
    public static LocalSecrets ensure(Path runDir) throws IOException {
        LocalSecrets s = new LocalSecrets(runDir.resolve("secrets"));
        s.ensureAll();
        return s;
    }

    public Path dir() {
        return dir;
    }

    /** The password of a principal (random, 32 hex digits, stable across restarts). */
    public String password(String principal) {
        String p = passwords.getProperty(principal);
        if (p == null) {
            throw new IllegalArgumentException("no local principal '" + principal + "'; known: " + PRINCIPALS);
        }
        return p;
    }

    /** The password protecting the key and trust stores. */
    public String storePassword() {
        return passwords.getProperty("stores");
    }

    /** The bearer token the operator's CLI sends to gRPC calls that change state (random, stable across restarts). */
    public String token() {
        return passwords.getProperty("token");
    }

    /** PKCS12 key store with the server certificate (alias "server") and its chain. */
    public Path keyStore() {
        return dir.resolve("server.p12");
    }

    /** PKCS12 trust store holding only the local CA. */
    public Path trustStore() {
        return dir.resolve("truststore.p12");
    }

    /** The local CA certificate in PEM, for clients that do not read PKCS12 (Python gRPC and Kafka clients). */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    private Path passwordsFile() {
        return dir.resolve("passwords.properties");
    }

    private void ensureAll() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        restrict(dir, "rwx------");
        loadOrMakePasswords();
        if (!Files.exists(keyStore()) || !Files.exists(trustStore()) || !Files.exists(caPem())) {
            makeCertificates();
        }
    }

    private void loadOrMakePasswords() throws IOException {
        if (Files.exists(passwordsFile())) {
            try (var in = Files.newBufferedReader(passwordsFile(), StandardCharsets.UTF_8)) {
                passwords.load(in);
            }
        }
        boolean changed = false;
        SecureRandom random = new SecureRandom();
        List<String> names = new ArrayList<>(PRINCIPALS);
        names.addAll(List.of("stores", "token"));
        for (String p : names) {
            if (passwords.getProperty(p) == null) {
                byte[] b = new byte[16];
                random.nextBytes(b);
                passwords.setProperty(p, HexFormat.of().formatHex(b));
                changed = true;
            }
        }
        if (changed) {
            Path tmp = dir.resolve("passwords.properties.tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                passwords.store(out, "mixrule local stack: one password per principal (made on first start; delete to rotate)");
            }
            Files.move(tmp, passwordsFile(), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        restrict(passwordsFile(), "rw-------");
    }

    /** CA, server key pair signed by it, trust store and PEM, with the JDK's keytool (no other tool needed). */
    private void makeCertificates() throws IOException {
        Path ca = dir.resolve("ca.p12");
        Path csr = dir.resolve("server.csr");
        Path signed = dir.resolve("server.pem");
        for (Path p : List.of(ca, keyStore(), trustStore(), caPem(), csr, signed)) {
            Files.deleteIfExists(p);
        }
        String pw = storePassword();
        keytool("-genkeypair", "-alias", CA_ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650",
                "-dname", "CN=mixrule local CA", "-ext", "bc:c", "-keystore", ca.toString(), "-storetype", "PKCS12",
                "-storepass", pw);
        keytool("-exportcert", "-rfc", "-alias", CA_ALIAS, "-keystore", ca.toString(), "-storepass", pw, "-file", caPem().toString());
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "825",
                "-dname", "CN=127.0.0.1", "-keystore", keyStore().toString(), "-storetype", "PKCS12", "-storepass", pw);
        keytool("-certreq", "-alias", "server", "-keystore", keyStore().toString(), "-storepass", pw, "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", CA_ALIAS, "-keystore", ca.toString(), "-storepass", pw, "-infile", csr.toString(),
                "-outfile", signed.toString(), "-validity", "825", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-ext", "EKU=serverAuth,clientAuth");
        keytool("-importcert", "-noprompt", "-alias", CA_ALIAS, "-keystore", keyStore().toString(), "-storepass", pw,
                "-file", caPem().toString());
        keytool("-importcert", "-noprompt", "-alias", "server", "-keystore", keyStore().toString(), "-storepass", pw,
                "-file", signed.toString());
        keytool("-importcert", "-noprompt", "-alias", CA_ALIAS, "-keystore", trustStore().toString(), "-storetype", "PKCS12",
                "-storepass", pw, "-file", caPem().toString());
        Files.deleteIfExists(csr);
        Files.deleteIfExists(signed);
        for (Path p : List.of(ca, keyStore(), trustStore(), caPem())) {
            restrict(p, "rw-------");
        }
    }

    private static void keytool(String... args) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new ArrayList<>();
        cmd.add(Files.isExecutable(keytool) ? keytool.toString() : "keytool");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed making the local stack's certificates: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the local stack's certificates", e);
        }
    }

    private static void restrict(Path p, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own protection is all there is
        }
    }
}
