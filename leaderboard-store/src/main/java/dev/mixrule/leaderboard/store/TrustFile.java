package dev.mixrule.leaderboard.store;

import dev.mixrule.kernel.signing.RecordSignatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A deployment's declaration of whom the leaderboard believes (docs/security.md, "Trust file"): the registry's
 * principals, their roles, public keys and evaluator names, as a file the leaderboard applies at start
 * ({@code mixrule.leaderboard.trust-file}) and {@code leaderboard rebuild} applies to an empty registry. One line a
 * principal key, blank lines and {@code #} comments ignored:
 * <pre>
 * # principal  role       public key (PEM, relative to this file)  evaluator names it owns
 * trainer      trainer    trainer.pub
 * evaluator    evaluator  evaluator.pub                            accuracy,robustness,noise,simulated
 * </pre>
 * Applying it only adds (keys, the trainer role, evaluator names not yet owned): a name another principal already
 * owns is a conflict, reported, never taken over. Keys are revoked with {@code ./mixrule principals revoke}.
 */
public final class TrustFile {
    /** A principal's line: role, one public key, the evaluator names it owns. */
    public record Line(String principal, boolean trainer, PublicKey key, List<String> evaluators) {}

    public static final String TRAINER = "trainer";
    public static final String EVALUATOR = "evaluator";

    private final Path file;
    private final List<Line> lines;

    private TrustFile(Path file, List<Line> lines) {
        this.file = file;
        this.lines = List.copyOf(lines);
    }

    /** Reads and checks the whole file; an error names the file, the line and what is wrong in it. */
    public static TrustFile read(Path file) {
        List<String> text;
        try {
            text = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the trust file " + file + ": " + e, e);
        }
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            String s = text.get(i).strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                try {
                    lines.add(parse(s, file.toAbsolutePath().getParent()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage()
                            + " (expected: PRINCIPAL trainer|evaluator PUBLIC_KEY_FILE [EVALUATOR,...])", e);
                }
            }
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("the trust file " + file + " names no principal");
        }
        return new TrustFile(file, lines);
    }

    private static Line parse(String s, Path dir) {
        String[] f = s.split("\\s+");
        if (f.length < 3 || f.length > 4) {
            throw new IllegalArgumentException("expected 3 or 4 fields, found " + f.length);
        }
        ProvenanceRegistry.requireName("principal", f[0]);
        if (!f[1].equals(TRAINER) && !f[1].equals(EVALUATOR)) {
            throw new IllegalArgumentException("role must be '" + TRAINER + "' or '" + EVALUATOR + "', not '" + f[1] + "'");
        }
        Path keyFile = dir.resolve(f[2]);
        PublicKey key;
        try {
            key = RecordSignatures.parsePublic(Files.readString(keyFile, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the public key " + keyFile + ": " + e, e);
        }
        List<String> evaluators = f.length == 4 ? Arrays.asList(f[3].split(",")) : List.of();
        evaluators.forEach(n -> ProvenanceRegistry.requireName("evaluator", n));
        if (f[1].equals(TRAINER) && !evaluators.isEmpty()) {
            throw new IllegalArgumentException("a trainer line names no evaluators; give the evaluator its own principal");
        }
        return new Line(f[0], f[1].equals(TRAINER), key, List.copyOf(evaluators));
    }

    public Path file() {
        return file;
    }

    public List<Line> lines() {
        return lines;
    }

    /**
     * Adds every principal's key, role and evaluator names to the registry (idempotent); returns the conflicts,
     * evaluator names another principal already owns, each as a sentence naming both.
     */
    public List<String> applyTo(ProvenanceRegistry registry) {
        List<String> conflicts = new ArrayList<>();
        for (Line l : lines) {
            registry.addPrincipal(l.principal(), l.key(), l.trainer());
            for (String name : l.evaluators()) {
                String owner = registry.registerEvaluator(name, l.principal());
                if (!owner.equals(l.principal())) {
                    conflicts.add("evaluator '" + name + "' belongs to principal '" + owner + "', not '" + l.principal()
                            + "' as " + file + " says");
                }
            }
        }
        return conflicts;
    }
}
