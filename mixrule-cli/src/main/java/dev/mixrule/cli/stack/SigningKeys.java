package dev.mixrule.cli.stack;

import dev.mixrule.core.evaluation.Evaluators;
import dev.mixrule.kernel.signing.RecordSignatures;
import dev.mixrule.kernel.simulation.SimulatedTraining;
import dev.mixrule.leaderboard.store.ProvenanceRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local stack's record-signing identities (docs/security.md, "Provenance and the leaderboard"): one Ed25519
 * key pair per producing principal, made on first start into {@code <run dir>/secrets} beside LocalSecrets' files
 * ({@code signing-<principal>.key}, PEM PKCS#8, 0600, and {@code .pub}) and reused afterwards; {@code up}
 * registers their public keys and our evaluator names with the leaderboard. "examples" signs for the example
 * evaluators outside the services (examples/evaluator-plugin, examples/evaluators/python).
 */
public final class SigningKeys {
    public static final String TRAINER = "trainer";
    public static final String EVALUATOR = "evaluator";
    public static final String EXAMPLES = "examples";
    public static final List<String> PRINCIPALS = List.of(TRAINER, EVALUATOR, EXAMPLES);
    /** The example evaluators' names, owned by the examples principal. */
    public static final List<String> EXAMPLE_EVALUATORS = List.of("example-calibration", "py-size");

    private final Path dir;

    private SigningKeys(Path dir) {
        this.dir = dir;
    }

    /** The keys under {@code runDir/secrets}, made now where missing. */
    public static SigningKeys ensure(Path runDir) throws IOException {
        SigningKeys k = new SigningKeys(runDir.resolve("secrets"));
        if (!Files.isDirectory(k.dir)) {
            Files.createDirectories(k.dir);
            restrict(k.dir, "rwx------");
        }
        for (String p : PRINCIPALS) {
            if (!Files.exists(k.privateKey(p)) || !Files.exists(k.publicKey(p))) {
                KeyPair pair = RecordSignatures.generate();
                Files.writeString(k.privateKey(p), RecordSignatures.privatePem(pair.getPrivate()), StandardCharsets.US_ASCII);
                restrict(k.privateKey(p), "rw-------");
                Files.writeString(k.publicKey(p), RecordSignatures.publicPem(pair.getPublic()), StandardCharsets.US_ASCII);
            }
        }
        return k;
    }

    public Path privateKey(String principal) {
        return dir.resolve("signing-" + principal + ".key");
    }

    public Path publicKey(String principal) {
        return dir.resolve("signing-" + principal + ".pub");
    }

    /** The system properties that make a service sign as this principal. */
    public List<String> serviceProperties(String principal) {
        return List.of("-Dmixrule.signing.key-file=" + privateKey(principal).toAbsolutePath(), "-Dmixrule.signing.principal=" + principal);
    }

    /** Registers the principals (the trainer as a trainer) and the evaluator names they own; returns conflicts. */
    public List<String> register(ProvenanceRegistry registry) throws IOException {
        for (String p : PRINCIPALS) {
            registry.addPrincipal(p, RecordSignatures.parsePublic(Files.readString(publicKey(p), StandardCharsets.US_ASCII)),
                    p.equals(TRAINER));
        }
        List<String> conflicts = new ArrayList<>();
        Map<String, String> owners = new LinkedHashMap<>();
        Evaluators.names().forEach(n -> owners.put(n, EVALUATOR));
        owners.put(SimulatedTraining.EVALUATOR, EVALUATOR);
        EXAMPLE_EVALUATORS.forEach(n -> owners.put(n, EXAMPLES));
        owners.forEach((name, principal) -> {
            String owner = registry.registerEvaluator(name, principal);
            if (!owner.equals(principal)) {
                conflicts.add("evaluator '" + name + "' belongs to principal '" + owner + "', not '" + principal + "'");
            }
        });
        return conflicts;
    }

    private static void restrict(Path p, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own protection is all there is
        }
    }
}
