package dev.mixrule.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** ./mixrule: one entry point for people and scripts. */
@Command(name = "mixrule", mixinStandardHelpOptions = true, version = "mixrule 0.1.0",
        description = "Search neural networks whose layers each learn by their own bio-inspired rule.",
        subcommands = {StackCommands.Up.class, StackCommands.Down.class, StackCommands.Status.class, DemoCommand.class,
                LeaderboardCommand.class, ExperimentCommand.class, GenomeCommand.class, TrainCommand.class, EvaluateCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
