package dev.mixrule.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** `mixrule help [COMMAND...]`: the help of any command of the tree, however deep (help leaderboard top). */
@Command(name = "help", helpCommand = true, description = "Show the help of a command, e.g. `help leaderboard top`.")
public final class HelpCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "COMMAND", description = "the command's path, e.g. leaderboard top") List<String> path;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine target = spec.root().commandLine();
        for (String name : path == null ? List.<String>of() : path) {
            CommandLine next = target.getSubcommands().get(name);
            if (next == null) {
                spec.commandLine().getErr().println("error: '" + target.getCommandName() + "' has no command '" + name + "'; its commands: "
                        + String.join(", ", target.getSubcommands().keySet()));
                spec.commandLine().getErr().flush();
                return 2;
            }
            target = next;
        }
        target.usage(spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
