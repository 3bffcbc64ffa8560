package dev.mixrule.cli;

import dev.mixrule.cli.stack.ExternalEvaluators;
import dev.mixrule.cli.stack.LocalKafka;
import dev.mixrule.cli.stack.LocalStack;
import dev.mixrule.cli.stack.StackException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** External evaluators in one step (docs/security.md): `principals add-evaluator`, a subcommand of {@link RegistryCommands.Principals}. */
final class PrincipalsCommand {
    private PrincipalsCommand() {}

    @Command(name = "add-evaluator", description = "Onboard an external evaluator in one step: a Kafka user NAME (reads "
            + "mixrule-training-results in consumer groups named NAME..., writes mixrule-evaluation-results, nothing else; "
            + "a new password on every call), a signing principal NAME registered with the leaderboard (--public-key, or a "
            + "key pair made as <run dir>/secrets/NAME.signing.key), and the evaluator name NAME (plus --also) owned by it. "
            + "Writes every setting to <run dir>/secrets/NAME.client.properties (0600) and prints it.")
    static final class AddEvaluator implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "the principal: Kafka user, signing principal, first evaluator name, consumer group prefix")
        String name;
        @Option(names = "--public-key", paramLabel = "FILE", description = "the owner's Ed25519 public key (PEM); "
                + "default: make a key pair here (fine on one machine; the owner keeps the private key otherwise)")
        Path publicKey;
        @Option(names = "--also", paramLabel = "EVALUATOR", split = ",", description = "more evaluator names it publishes under")
        List<String> also = List.of();

        @Override
        public Integer call() throws Exception {
            LocalStack stack = StackCommands.stack();
            if (LocalKafka.insecure()) {
                throw new StackException("MIXRULE_INSECURE is set: the broker has no users or ACLs; unset it to add principals");
            }
            ExternalEvaluators.Onboarded o = new ExternalEvaluators(stack).add(name, publicKey, also);
            System.err.println("Evaluator principal '" + name + "' may read training results and write evaluation results, "
                    + "signed, under the evaluator name(s) " + o.evaluatorNames() + ".");
            System.err.println("Its settings (Java client properties; the examples read them with --client-config):");
            System.out.print(Files.readString(o.clientSettings()));
            System.err.println("Saved to " + o.clientSettings() + " (0600). Python clients take the CA as PEM: "
                    + stack.kafka().secrets().caPem() + (o.privateKey() != null
                    ? ". Its private signing key: " + o.privateKey() + " (0600)"
                    : ". Sign with the private key of " + publicKey + " (docs/security.md)"));
            return 0;
        }
    }
}
