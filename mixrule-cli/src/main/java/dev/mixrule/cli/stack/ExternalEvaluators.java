package dev.mixrule.cli.stack;

import dev.mixrule.kernel.signing.KeyPairFiles;
import dev.mixrule.kernel.signing.RecordSignatures;
import dev.mixrule.leaderboard.store.LeaderboardStore;
import dev.mixrule.leaderboard.store.ProvenanceRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything an external evaluator needs, in one step ({@code ./mixrule principals add-evaluator}; docs/security.md,
 * "Adding an external evaluator"): a Kafka user of its own with the external evaluator's ACLs, a signing principal of
 * the same name registered with the leaderboard (the owner's public key, or a key pair made here), the evaluator
 * names it publishes under, and one client settings file holding all of it.
 */
public final class ExternalEvaluators {
    /** Client-settings keys the example evaluators read their signing identity from (as SigningInterceptor's settings). */
    public static final String SIGNING_PRINCIPAL = "mixrule.signing.principal";
    public static final String SIGNING_KEY_FILE = "mixrule.signing.key-file";

    /** What was made: the client settings file, and the private key when this step made the key pair (else null). */
    public record Onboarded(Path clientSettings, Path privateKey, List<String> evaluatorNames) {}

    private final LocalStack stack;

    public ExternalEvaluators(LocalStack stack) {
        this.stack = stack;
    }

    /**
     * Onboards principal {@code name}: Kafka user and ACLs (a new password each call), its public key (from
     * {@code publicKey}, else a pair made once as {@code <secrets>/<name>.signing.key}) and the evaluator names
     * {@code name} plus {@code alsoNames}. Fails, before touching anything, when another principal owns one of them.
     */
    public Onboarded add(String name, Path publicKey, List<String> alsoNames) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        names.add(name);
        names.addAll(alsoNames);
        try (LeaderboardStore store = new LeaderboardStore(stack.redisUrl(), stack.config().redisPrefix())) {
            ProvenanceRegistry registry = store.registry();
            List<String> taken = new ArrayList<>();
            for (String n : names) {
                registry.evaluatorOwner(n).filter(o -> !o.equals(name))
                        .ifPresent(o -> taken.add("evaluator name '" + n + "' belongs to principal '" + o + "'"));
            }
            if (!taken.isEmpty()) {
                throw new StackException(String.join("; ", taken) + ": pick another name (names are never taken over)");
            }
            Path privateKey = publicKey == null ? ensurePair(name) : null;
            Path pub = publicKey != null ? publicKey : privateKey.resolveSibling(name + ".signing.pub");
            PublicKey key = RecordSignatures.parsePublic(Files.readString(pub, StandardCharsets.US_ASCII));
            Path client = stack.kafka().addExternalEvaluator(name);
            registry.addPrincipal(name, key, false);
            names.forEach(n -> registry.registerEvaluator(n, name));
            StringBuilder signing = new StringBuilder("# its signing identity (docs/security.md, provenance)\n")
                    .append(SIGNING_PRINCIPAL).append('=').append(name).append('\n');
            if (privateKey != null) {
                signing.append(SIGNING_KEY_FILE).append('=').append(privateKey.toAbsolutePath()).append('\n');
            }
            Files.writeString(client, signing, StandardCharsets.ISO_8859_1, StandardOpenOption.APPEND);
            return new Onboarded(client, privateKey, List.copyOf(names));
        }
    }

    private Path ensurePair(String name) throws IOException {
        Path dir = stack.kafka().secrets().dir();
        Path priv = dir.resolve(name + ".signing.key");
        KeyPairFiles.ensure(priv, dir.resolve(name + ".signing.pub"));
        return priv;
    }
}
