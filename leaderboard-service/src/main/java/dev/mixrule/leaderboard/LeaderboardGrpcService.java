package dev.mixrule.leaderboard;

import dev.mixrule.core.genome.GenomeCodec;
import dev.mixrule.proto.GetEntryRequest;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.LeaderboardGrpc;
import dev.mixrule.proto.TopRequest;
import dev.mixrule.proto.TopResponse;
import dev.mixrule.proto.WatchRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The Leaderboard gRPC service. Bad arguments: INVALID_ARGUMENT; unknown entries: NOT_FOUND. */
@GrpcService
@Blocking
public class LeaderboardGrpcService extends LeaderboardGrpc.LeaderboardImplBase {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    static final String DEFAULT_METRIC = "test_accuracy";
    static final int MAX_K = 1000;

    private final LeaderboardStore store;
    private final ChangeFeed feed;

    public LeaderboardGrpcService(LeaderboardStore store, ChangeFeed feed) {
        this.store = store;
        this.feed = feed;
    }

    @Override
    public void top(TopRequest req, StreamObserver<TopResponse> out) {
        String dataset = req.getDataset();
        if (!NAME.matcher(dataset).matches()) {
            out.onError(invalid("dataset is required and must match " + NAME.pattern() + ", got '" + dataset + "'"));
            return;
        }
        String metric = req.getMetric().isEmpty() ? DEFAULT_METRIC : req.getMetric();
        int k = req.getK() == 0 ? 10 : req.getK();
        if (k < 1 || k > MAX_K) {
            out.onError(invalid("k must be in 1.." + MAX_K + ", got " + req.getK()));
            return;
        }
        if (!req.getExperimentId().isEmpty() && !NAME.matcher(req.getExperimentId()).matches()) {
            out.onError(invalid("experiment_id must match " + NAME.pattern() + ", got '" + req.getExperimentId() + "'"));
            return;
        }
        Set<String> known = store.metrics(dataset);
        if (!known.isEmpty() && !known.contains(metric)) {
            out.onError(invalid("unknown metric '" + metric + "' for dataset " + dataset + "; known: " + String.join(", ", known)));
            return;
        }
        LeaderboardStore.Page page = store.top(new LeaderboardStore.Query(dataset, metric, k, req.getExperimentId(),
                List.copyOf(req.getRulesList()), req.getAscending(), req.getExcludeUnreliable()));
        out.onNext(TopResponse.newBuilder().addAllEntries(page.entries()).setTotal(page.total()).build());
        out.onCompleted();
    }

    @Override
    public void getEntry(GetEntryRequest req, StreamObserver<LeaderboardEntry> out) {
        if (!GenomeCodec.isGenomeId(req.getGenomeId())) {
            out.onError(invalid("genome_id must be 16 lower-case hex digits, got '" + req.getGenomeId() + "'"));
            return;
        }
        if (!NAME.matcher(req.getDataset()).matches()) {
            out.onError(invalid("dataset is required and must match " + NAME.pattern() + ", got '" + req.getDataset() + "'"));
            return;
        }
        LeaderboardEntry e = store.get(req.getDataset(), req.getGenomeId());
        if (e == null) {
            out.onError(Status.NOT_FOUND.withDescription("no entry for genome " + req.getGenomeId() + " on "
                    + req.getDataset()).asRuntimeException());
            return;
        }
        out.onNext(e);
        out.onCompleted();
    }

    @Override
    public void watch(WatchRequest req, StreamObserver<LeaderboardEntry> out) {
        if (!req.getDataset().isEmpty() && !NAME.matcher(req.getDataset()).matches()) {
            out.onError(invalid("dataset must match " + NAME.pattern() + ", got '" + req.getDataset() + "'"));
            return;
        }
        ServerCallStreamObserver<LeaderboardEntry> stream = (ServerCallStreamObserver<LeaderboardEntry>) out;
        Runnable unsubscribe = feed.subscribe(e -> {
            if ((req.getDataset().isEmpty() || req.getDataset().equals(e.getDataset()))
                    && (req.getExperimentId().isEmpty() || req.getExperimentId().equals(e.getExperimentId()))) {
                synchronized (stream) {
                    if (!stream.isCancelled()) {
                        stream.onNext(e);
                    }
                }
            }
        });
        stream.setOnCancelHandler(unsubscribe::run);
    }

    private static RuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
