package dev.mixrule.kernel.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

/**
 * A signing key pair as two files: the private key (PEM PKCS#8 Ed25519, created 0600) and the public key (PEM
 * X.509), made once and kept. The local stack, {@code principals add-evaluator} and the container deployments
 * (docker-compose's {@code signing-keys} step runs {@link #main}) all make their keys here.
 */
public final class KeyPairFiles {
    private KeyPairFiles() {}

    /** Makes a new pair into these files unless both exist; true when it made one. */
    public static boolean ensure(Path privateKey, Path publicKey) throws IOException {
        if (Files.exists(privateKey) && Files.exists(publicKey)) {
            return false;
        }
        KeyPair pair = RecordSignatures.generate();
        Files.deleteIfExists(privateKey);
        try {
            Files.createFile(privateKey, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(privateKey); // not POSIX: the directory's protection is all there is
        }
        Files.writeString(privateKey, RecordSignatures.privatePem(pair.getPrivate()), StandardCharsets.US_ASCII);
        Files.writeString(publicKey, RecordSignatures.publicPem(pair.getPublic()), StandardCharsets.US_ASCII);
        return true;
    }

    /** {@code KeyPairFiles PRIVATE_KEY_FILE PUBLIC_KEY_FILE}: makes the pair unless both files exist. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: KeyPairFiles PRIVATE_KEY_FILE PUBLIC_KEY_FILE   (Ed25519, PEM; kept when both exist)");
            System.exit(2);
        }
        boolean made = ensure(Path.of(args[0]), Path.of(args[1]));
        System.out.println((made ? "made " : "kept ") + args[0] + " and " + args[1]);
    }
}
