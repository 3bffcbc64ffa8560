package dev.mixrule.bench;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * `./mixrule bench` keeps its commands and help: every bench command answers -h and --help with exit 0,
 * its own usage under "mixrule bench" and its options' defaults, and `help NAME` shows the same.
 */
class BenchHelpWalkTest {
    /** The subcommands users and bench/*.sh type; none may go missing. */
    static final List<String> NAMES = List.of("train", "gpu", "attacks", "rules", "mixtures", "mixing", "pipeline", "leaderboard");

    private static String[] answer(String... args) {
        CommandLine cl = BenchMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    private static Stream<String> paths(String prefix, CommandLine cl) {
        return Stream.concat(Stream.of(prefix), cl.getSubcommands().entrySet().stream()
                .flatMap(e -> paths((prefix + " " + e.getKey()).strip(), e.getValue())));
    }

    @Test
    void everyBenchCommandAnswersHelpWithItsDefaults() {
        List<String> paths = paths("", BenchMain.commandLine()).toList();
        assertTrue(paths.containsAll(NAMES), "bench commands: " + paths);
        for (String path : paths) {
            for (String flag : List.of("-h", "--help")) {
                String[] a = answer(Stream.concat(Stream.of(path.split(" ")).filter(s -> !s.isEmpty()), Stream.of(flag))
                        .toArray(String[]::new));
                String usage = ("Usage: mixrule bench " + path).strip();
                assertAll(path + " " + flag,
                        () -> assertEquals("0", a[0], a[2]),
                        () -> assertTrue(a[1].startsWith(usage), a[1]),
                        () -> assertTrue(a[2].isEmpty(), a[2]));
            }
        }
    }

    @Test
    void helpNameIsTheCommandsHelpAndShowsDefaults() {
        String[] rules = answer("help", "rules");
        assertEquals("0", rules[0], rules[2]);
        assertTrue(rules[1].startsWith("Usage: mixrule bench rules") && rules[1].contains("Default: 0.01,0.05"), rules[1]);
        String[] leaderboard = answer("leaderboard", "--help");
        assertTrue(leaderboard[1].contains("Default: 1000000") && leaderboard[1].contains("Default: accuracy,robustness"),
                leaderboard[1]);
        String[] unknown = answer("help", "nope");
        assertEquals("2", unknown[0]);
        assertTrue(unknown[2].contains("has no command 'nope'") && unknown[2].contains("mixing"), unknown[2]);
    }
}
