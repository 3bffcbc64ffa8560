package dev.mixrule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand answers --help with exit 0, its own usage and its defaults; so does `help PATH`. */
class HelpWalkTest {
    record Answer(int exit, String out, String err) {}

    static Answer run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Answer(exit, out.toString(), err.toString());
    }

    static void walk(CommandLine cl, List<String> path, List<List<String>> into) {
        into.add(path);
        cl.getSubcommands().forEach((name, sub) -> {
            List<String> p = new ArrayList<>(path);
            p.add(name);
            walk(sub, p, into);
        });
    }

    @Test
    void everyCommandInTheTreeAnswersHelp() {
        List<List<String>> paths = new ArrayList<>();
        walk(Main.commandLine(), List.of(), paths);
        assertTrue(paths.size() > 20, "the walk reaches the subcommands: " + paths);
        for (List<String> path : paths) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                Answer a = run(args.toArray(String[]::new));
                String name = path.isEmpty() ? "mixrule" : String.join(" ", path);
                assertEquals(0, a.exit(), name + " " + flag + " exit; stderr: " + a.err());
                assertTrue(a.out().startsWith("Usage: mixrule" + (path.isEmpty() ? "" : " " + name)), name + ":\n" + a.out());
                assertTrue(a.err().isEmpty(), name + " wrote to stderr: " + a.err());
            }
        }
    }

    @Test
    void helpOfANestedCommandIsThatCommandsAndShowsDefaults() {
        Answer a = run("help", "leaderboard", "top");
        assertEquals(0, a.exit(), a.err());
        assertTrue(a.out().startsWith("Usage: mixrule leaderboard top"), a.out());
        Answer top = run("leaderboard", "top", "--help");
        assertTrue(top.out().contains("Default: valid_accuracy"), "the default ranking metric is shown:\n" + top.out());
        Answer unknown = run("help", "leaderboard", "nope");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("'leaderboard' has no command 'nope'") && unknown.err().contains("top"), unknown.err());
        Answer create = run("experiment", "create", "--help");
        assertTrue(create.out().contains("--max-exact-gradient-fraction") && create.out().contains("Default: regularized-evolution"),
                create.out());
    }
}
