package dev.mixrule.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** ./mixrule: one entry point for people and scripts. */
@Command(name = "mixrule", mixinStandardHelpOptions = true, version = "mixrule 0.1.0",
        description = "Search neural networks whose layers each learn by their own bio-inspired rule.",
        subcommands = {StackCommands.Up.class, StackCommands.Down.class, StackCommands.Status.class, DemoCommand.class,
                LeaderboardCommand.class, ExperimentCommand.class, GenomeCommand.class, TrainCommand.class, EvaluateCommand.class, BenchPointer.class,
                RegistryCommands.Principals.class, RegistryCommands.Evaluators.class, HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return execute(commandLine(), args);
    }

    /** Runs a command tree the way ./mixrule does: an exception becomes "error: ..." on stderr and exit 1. */
    public static int execute(CommandLine cl, String... args) {
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return 1;
        });
        return cl.execute(args);
    }

    /**
     * The whole command tree, where every command and subcommand answers -h/--help (exit 0) and shows its
     * options' defaults: set here once instead of on each of the commands.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        withHelp(cl);
        return cl;
    }

    /** Every command of the tree answers -h/--help and shows its options' defaults (the bench tree uses it too). */
    public static void withHelp(CommandLine cl) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        spec.usageMessage().showDefaultValues(true);
        if (spec.optionsMap().get("--help") == null ) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        cl.getSubcommands().values().forEach(Main::withHelp);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
