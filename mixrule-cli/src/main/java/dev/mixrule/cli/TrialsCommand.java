package dev.mixrule.cli;

import dev.mixrule.proto.Experiment;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A command over the trials of one experiment: the sampler names them, the leaderboard has their entries. Errors
 * name the service that gave them; an unknown experiment is the sampler's NOT_FOUND, which points to `experiment list`.
 */
abstract class TrialsCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "experiment id (./mixrule experiment list shows them)") String id;
    @Option(names = "--page-size", defaultValue = "" + ExperimentTrials.DEFAULT_PAGE_SIZE,
            description = "trials read per leaderboard call, 1.." + ExperimentTrials.MAX_PAGE_SIZE) int pageSize;

    /** What is wrong with the options (exit 2 before any call), or null. */
    String problem() {
        return null;
    }

    abstract int run(ExperimentTrials trials, Experiment experiment) throws IOException;

    @Override
    public Integer call() throws IOException {
        String problem = pageSize < 1 || pageSize > ExperimentTrials.MAX_PAGE_SIZE
                ? "--page-size must be in 1.." + ExperimentTrials.MAX_PAGE_SIZE + ", got " + pageSize : problem();
        if (problem != null) {
            System.err.println("error: " + problem);
            return 2;
        }
        ManagedChannel sampler = Grpc.sampler();
        ManagedChannel board = Grpc.leaderboard();
        try {
            ExperimentTrials trials = new ExperimentTrials(sampler, board);
            Experiment experiment;
            try {
                experiment = trials.experiment(id);
            } catch (StatusRuntimeException e) {
                System.err.println("error: " + Grpc.explain(e, "the sampler"));
                return 1;
            }
            try {
                return run(trials, experiment);
            } catch (StatusRuntimeException e) {
                System.err.println("error: " + Grpc.explain(e, "the leaderboard"));
                return 1;
            }
        } finally {
            sampler.shutdownNow();
            board.shutdownNow();
        }
    }
}
