package dev.mixrule.bench;

import dev.mixrule.cli.HelpCommand;
import dev.mixrule.cli.Main;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * `./mixrule bench`: benchmarks that print numbers; docs/benchmarks.md records them. Its own main (the script
 * runs mixrule-bench.jar for `bench ...`), built on the CLI's public pieces: the help setup, the local stack,
 * gRPC channels and JSON output.
 */
@Command(name = "mixrule bench", description = "Benchmarks.", subcommands = {TrainBench.class, GpuBench.class, AttacksBench.class,
        RulesBench.class, MixturesBench.class, MixingBench.class, PipelineBench.class, LeaderboardBench.class, HelpCommand.class})
public final class BenchMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Main.execute(commandLine(), args));
    }

    /** The bench tree; every command answers -h/--help with its defaults, as the CLI's do. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new BenchMain());
        Main.withHelp(cl);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
