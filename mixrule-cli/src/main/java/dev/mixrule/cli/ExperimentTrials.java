package dev.mixrule.cli;

import dev.mixrule.proto.Experiment;
import dev.mixrule.proto.GetEntriesRequest;
import dev.mixrule.proto.GetEntriesResponse;
import dev.mixrule.proto.GetExperimentRequest;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.LeaderboardGrpc;
import dev.mixrule.proto.SamplerGrpc;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The trials of one experiment, read a page at a time: the sampler names them (Experiment.genome_ids in proposal
 * order, then reused_genome_ids), the leaderboard answers each page with one GetEntries call, so only one page of
 * entries is in memory at once.
 */
public final class ExperimentTrials {
    public static final int DEFAULT_PAGE_SIZE = 200;
    public static final int MAX_PAGE_SIZE = 1000; // GetEntries takes at most this many ids
    private static final long DEADLINE_SECONDS = 60;

    private final SamplerGrpc.SamplerBlockingStub sampler;
    private final LeaderboardGrpc.LeaderboardBlockingStub board;

    public ExperimentTrials(ManagedChannel samplerChannel, ManagedChannel leaderboardChannel) {
        this.sampler = SamplerGrpc.newBlockingStub(samplerChannel);
        this.board = LeaderboardGrpc.newBlockingStub(leaderboardChannel);
    }

    /** The experiment as the sampler has it (NOT_FOUND, naming `experiment list`, for an unknown id). */
    public Experiment experiment(String experimentId) {
        return sampler.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .getExperiment(GetExperimentRequest.newBuilder().setExperimentId(experimentId).build());
    }

    /** How many trials {@link #forEachPage} walks through. */
    public static int count(Experiment e) {
        return e.getGenomeIdsCount() + e.getReusedGenomeIdsCount();
    }

    /** Calls page with every page of the experiment's trials in order: proposed ones first, then reused ones. */
    public void forEachPage(Experiment e, int pageSize, Consumer<List<Trial>> page) {
        List<String> ids = new ArrayList<>(e.getGenomeIdsList());
        ids.addAll(e.getReusedGenomeIdsList());
        Set<String> reused = new HashSet<>(e.getReusedGenomeIdsList());
        for (int from = 0; from < ids.size(); from += pageSize) {
            List<String> slice = ids.subList(from, Math.min(ids.size(), from + pageSize));
            GetEntriesResponse r = board.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).getEntries(GetEntriesRequest.newBuilder()
                    .setDataset(e.getSpec().getDataset()).addAllGenomeIds(slice).build());
            page.accept(trials(slice, reused, r));
        }
    }

    /** One page's trials in the order of its ids, from the leaderboard's answer. */
    static List<Trial> trials(List<String> ids, Set<String> reused, GetEntriesResponse r) {
        Map<String, LeaderboardEntry> entries = new HashMap<>();
        r.getEntriesList().forEach(en -> entries.put(en.getGenomeId(), en));
        Set<String> failed = new HashSet<>(r.getFailedGenomeIdsList());
        List<Trial> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            LeaderboardEntry en = entries.get(id);
            Trial.Status s = en != null ? Trial.Status.of(en) : failed.contains(id) ? Trial.Status.FAILED : Trial.Status.PENDING;
            out.add(new Trial(id, s, reused.contains(id), en));
        }
        return out;
    }
}
