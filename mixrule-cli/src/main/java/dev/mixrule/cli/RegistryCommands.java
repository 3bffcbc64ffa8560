package dev.mixrule.cli;

import dev.mixrule.kernel.signing.RecordSignatures;
import dev.mixrule.leaderboard.store.LeaderboardStore;
import dev.mixrule.leaderboard.store.ProvenanceRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The leaderboard's registry of who may publish what (docs/security.md, "Provenance and the leaderboard"), in the
 * local stack's Redis (MIXRULE_REDIS_URL to point elsewhere): principals with their Ed25519 public keys, and
 * evaluator names with the principal that owns each.
 */
final class RegistryCommands {
    private RegistryCommands() {}

    /** Runs a call on the registry of the stack's leaderboard store. */
    static int withRegistry(Function<ProvenanceRegistry, Integer> call) {
        var stack = StackCommands.stack();
        try (LeaderboardStore store = new LeaderboardStore(stack.redisUrl(), stack.config().redisPrefix())) {
            return call.apply(store.registry());
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }

    static void print(Map<String, String> rows, String left, String right) {
        System.out.printf("%-24s %s%n", left, right);
        rows.forEach((k, v) -> System.out.printf("%-24s %s%n", k, v));
    }

    @Command(name = "principals", description = "Principals of the local stack: the signing keys whose records the "
            + "leaderboard believes (add, revoke, list) and an external evaluator's Kafka user (add-evaluator).",
            subcommands = {Principals.Add.class, Principals.Revoke.class, Principals.ListAll.class,
                    PrincipalsCommand.AddEvaluator.class})
    static final class Principals extends CommandGroup {
        static PublicKey read(Path file) {
            try {
                return RecordSignatures.parsePublic(Files.readString(file, StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        /** A principal and one of its public keys, as add and revoke take them. */
        static final class PrincipalKey {
            @Parameters(index = "0", description = "principal name (lower case, digits, '_', '.', '-')")
            String name;
            @Option(names = "--public-key", required = true, description = "PEM file with an Ed25519 public key of the principal")
            Path file;
        }

        @Command(name = "add", description = "Add a public key (PEM, Ed25519) to a principal, creating it; also how to rotate a key.")
        static final class Add implements Callable<Integer> {
            @picocli.CommandLine.Mixin
            PrincipalKey key;
            @Option(names = "--trainer", description = "the principal may publish training results")
            boolean trainer;

            @Override
            public Integer call() {
                return withRegistry(this::add);
            }

            private int add(ProvenanceRegistry r) {
                r.addPrincipal(key.name, read(key.file), trainer);
                System.err.println("principal '" + key.name + "' has " + r.publicKeys(key.name).size() + " key(s)" + (trainer ? ", trainer" : ""));
                return 0;
            }
        }

        @Command(name = "revoke", description = "Remove one public key of a principal: what it signed is refused, in rebuilds too.")
        static final class Revoke implements Callable<Integer> {
            @picocli.CommandLine.Mixin
            PrincipalKey key;

            @Override
            public Integer call() {
                return withRegistry(r -> {
                    boolean removed = r.revokeKey(key.name, read(key.file));
                    System.err.println(removed ? "key removed from '" + key.name + "'" : "'" + key.name + "' had no such key");
                    return removed ? 0 : 1;
                });
            }
        }

        @Command(name = "list", description = "List the principals: name, role, public keys (base64 X.509).")
        static final class ListAll implements Callable<Integer> {
            @Override
            public Integer call() {
                return withRegistry(r -> {
                    var trainers = r.trainers();
                    Map<String, String> rows = new TreeMap<>();
                    r.principals().forEach((n, keys) -> rows.put(n, (trainers.contains(n) ? "trainer   " : "producer  ") + keys));
                    print(rows, "principal", "role      public keys");
                    return 0;
                });
            }
        }
    }

    @Command(name = "evaluators", description = "Manage evaluator names: each belongs to the first principal registered for it.",
            subcommands = {Evaluators.Register.class, Evaluators.ListAll.class})
    static final class Evaluators extends CommandGroup {
        @Command(name = "register", description = "Give an evaluator name to a principal, unless another principal owns it.")
        static final class Register implements Callable<Integer> {
            @Parameters(index = "0", description = "evaluator name, as in EvaluationResult.evaluator.name")
            String name;
            @Option(names = "--principal", required = true, description = "the principal that signs this evaluator's results")
            String principal;

            @Override
            public Integer call() {
                return withRegistry(r -> {
                    if (r.publicKeys(principal).isEmpty()) {
                        System.err.println("error: no principal '" + principal + "'; add it first: ./mixrule principals add " + principal + " --public-key FILE");
                        return 1;
                    }
                    String owner = r.registerEvaluator(name, principal);
                    System.err.println(owner.equals(principal) ? "evaluator '" + name + "' belongs to '" + principal + "'"
                            : "error: evaluator '" + name + "' already belongs to '" + owner + "'");
                    return owner.equals(principal) ? 0 : 1;
                });
            }
        }

        @Command(name = "list", description = "List evaluator names and their owning principals.")
        static final class ListAll implements Callable<Integer> {
            @Override
            public Integer call() {
                return withRegistry(r -> {
                    print(r.evaluators(), "evaluator", "principal");
                    return 0;
                });
            }
        }
    }
}
