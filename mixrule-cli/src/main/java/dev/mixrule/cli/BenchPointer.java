package dev.mixrule.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * `bench` in the CLI's command list: the benchmarks live in their own module (mixrule-bench, with its own
 * main), and ./mixrule hands `bench ...` and `help bench ...` to it; this entry only points there.
 */
@Command(name = "bench", description = "Benchmarks (docs/benchmarks.md); ./mixrule bench --help lists them.")
final class BenchPointer implements Callable<Integer> {
    static final String WHERE = "The benchmarks have their own main (module mixrule-bench): ./mixrule bench --help lists them.";

    @Unmatched List<String> args;

    @Override
    public Integer call() {
        System.err.println(WHERE);
        return args == null || args.isEmpty() ? 0 : 2;
    }
}
