package dev.mixrule.cli;

import dev.mixrule.cli.stack.LocalKafka;
import dev.mixrule.cli.stack.LocalStack;
import dev.mixrule.cli.stack.StackException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Kafka users of external evaluators (docs/security.md, "Kafka"): `principals add-evaluator`, a subcommand of {@link RegistryCommands.Principals}. */
final class PrincipalsCommand {
    private PrincipalsCommand() {}

    @Command(name = "add-evaluator", description = "Create (or give a new password to) an external evaluator's SCRAM "
            + "user: it may read mixrule-training-results in consumer groups named NAME..., write "
            + "mixrule-evaluation-results, nothing else. Writes its client settings to <run dir>/secrets/NAME.client.properties "
            + "and prints them.")
    static final class AddEvaluator implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "the principal; also the prefix of its consumer groups")
        String name;

        @Override
        public Integer call() throws Exception {
            LocalStack stack = StackCommands.stack();
            if (LocalKafka.insecure()) {
                throw new StackException("MIXRULE_INSECURE is set: the broker has no users or ACLs; unset it to add principals");
            }
            Path file = stack.kafka().addExternalEvaluator(name);
            System.err.println("Evaluator principal '" + name + "' may read training results and write evaluation results.");
            System.err.println("Its Kafka client settings (Java properties; the Python example reads them with --client-config):");
            System.out.print(Files.readString(file));
            System.err.println("Saved to " + file + " (0600). Python clients take the CA as PEM: "
                    + stack.kafka().secrets().caPem());
            return 0;
        }
    }
}
