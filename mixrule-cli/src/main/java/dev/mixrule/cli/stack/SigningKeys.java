package dev.mixrule.cli.stack;

import dev.mixrule.core.evaluation.Evaluators;
import dev.mixrule.kernel.signing.KeyPairFiles;
import dev.mixrule.kernel.simulation.SimulatedTraining;
import dev.mixrule.leaderboard.store.ProvenanceRegistry;
import dev.mixrule.leaderboard.store.TrustFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The local stack's record-signing identities (docs/security.md, "Provenance and the leaderboard"): one Ed25519
 * key pair per producing service principal, made on first start into {@code <run dir>/secrets} beside
 * LocalSecrets' files ({@code signing-<principal>.key}, PEM PKCS#8, 0600, and {@code .pub}) and reused afterwards,
 * and the trust file that declares them ({@code trust.conf}: the trainer as a trainer, the evaluator owning our
 * evaluator names), which the leaderboard applies at start. External evaluators get theirs from
 * {@link ExternalEvaluators}.
 */
public final class SigningKeys {
    public static final String TRAINER = "trainer";
    public static final String EVALUATOR = "evaluator";
    public static final List<String> PRINCIPALS = List.of(TRAINER, EVALUATOR);

    private final Path dir;

    private SigningKeys(Path dir) {
        this.dir = dir;
    }

    /** The keys under {@code runDir/secrets}, made now where missing, and the trust file naming them. */
    public static SigningKeys ensure(Path runDir) throws IOException {
        SigningKeys k = new SigningKeys(runDir.resolve("secrets"));
        if (!Files.isDirectory(k.dir)) {
            Files.createDirectories(k.dir);
            restrict(k.dir, "rwx------");
        }
        for (String p : PRINCIPALS) {
            k.ensurePair(p);
        }
        Files.writeString(k.trustFile(), k.trustText(), StandardCharsets.UTF_8);
        return k;
    }

    /** Makes {@code signing-<principal>.key/.pub} unless both exist. */
    private void ensurePair(String principal) throws IOException {
        KeyPairFiles.ensure(privateKey(principal), publicKey(principal));
    }

    private String trustText() {
        List<String> ours = new ArrayList<>(Evaluators.names());
        ours.add(SimulatedTraining.EVALUATOR);
        return "# Whom the local stack's leaderboard believes (docs/security.md, \"Trust file\"); rewritten by ./mixrule up.\n"
                + "# principal  role       public key                evaluator names\n"
                + TRAINER + "      " + TrustFile.TRAINER + "    " + publicKey(TRAINER).getFileName() + "\n"
                + EVALUATOR + "    " + TrustFile.EVALUATOR + "  " + publicKey(EVALUATOR).getFileName() + "  " + String.join(",", ours) + "\n";
    }

    public Path privateKey(String principal) {
        return dir.resolve("signing-" + principal + ".key");
    }

    public Path publicKey(String principal) {
        return dir.resolve("signing-" + principal + ".pub");
    }

    /** The trust file the leaderboard applies at start ({@code mixrule.leaderboard.trust-file}). */
    public Path trustFile() {
        return dir.resolve("trust.conf");
    }

    /** The system properties that make a service sign as this principal. */
    public List<String> serviceProperties(String principal) {
        return List.of("-Dmixrule.signing.key-file=" + privateKey(principal).toAbsolutePath(), "-Dmixrule.signing.principal=" + principal);
    }

    /** Registers what the trust file declares (after Redis was lost: {@code leaderboard rebuild}); returns conflicts. */
    public List<String> register(ProvenanceRegistry registry) {
        return TrustFile.read(trustFile()).applyTo(registry);
    }

    private static void restrict(Path p, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own protection is all there is
        }
    }
}
