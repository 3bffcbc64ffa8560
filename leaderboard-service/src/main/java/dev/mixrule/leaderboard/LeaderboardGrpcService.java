package dev.mixrule.leaderboard;

import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.messaging.Names;
import dev.mixrule.kernel.rpc.UnaryCalls;
import dev.mixrule.kernel.search.SelectionMetrics;
import dev.mixrule.leaderboard.store.LeaderboardStore;
import dev.mixrule.leaderboard.store.MetricSet;
import dev.mixrule.leaderboard.store.TopCache;
import dev.mixrule.proto.GetEntriesRequest;
import dev.mixrule.proto.GetEntriesResponse;
import dev.mixrule.proto.GetEntryRequest;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.LeaderboardGrpc;
import dev.mixrule.proto.ObjectiveSpec;
import dev.mixrule.proto.ParetoRequest;
import dev.mixrule.proto.ParetoResponse;
import dev.mixrule.proto.StatsRequest;
import dev.mixrule.proto.StatsResponse;
import dev.mixrule.proto.TopRequest;
import dev.mixrule.proto.TopResponse;
import dev.mixrule.proto.WatchRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The Leaderboard gRPC service: argument checks, then one call into the store. Bad arguments:
 * INVALID_ARGUMENT with a message naming the argument; unknown entries: NOT_FOUND. Every call that
 * may wait on Redis runs on a worker thread (@Blocking); a Top answered from the cache is answered
 * on the event loop, since it waits on nothing.
 */
@GrpcService
public class LeaderboardGrpcService extends LeaderboardGrpc.LeaderboardImplBase {
    /** Top, Stats and the web page rank by validation accuracy unless asked otherwise: a ranking chooses. */
    static final String DEFAULT_METRIC = SelectionMetrics.VALID_ACCURACY;
    static final int MAX_K = 1000;
    static final int MAX_LAYERS = 100;

    private final LeaderboardStore store;
    private final ChangeFeed feed;
    private final TopCache topCache;
    // Datasets and their metric names only ever grow, so a name seen once stays valid; a miss re-reads
    // Redis. This keeps the checks of Top and GetEntry off the round trips of the hot path.
    private final Set<String> knownDatasets = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Set<String>> knownMetrics = new ConcurrentHashMap<>();

    public LeaderboardGrpcService(LeaderboardStore store, ChangeFeed feed, ChangeRelay relay) {
        this.store = store;
        this.feed = feed;
        this.topCache = relay.topCache();
    }

    @Override
    public void top(TopRequest req, StreamObserver<TopResponse> out) {
        TopResponse cached = topCache.get(req); // a cached request passed the checks when it was first answered
        if (cached != null) {
            out.onNext(cached);
            out.onCompleted();
            return;
        }
        Infrastructure.getDefaultWorkerPool().execute(() -> topFromRedis(req, out));
    }

    private void topFromRedis(TopRequest req, StreamObserver<TopResponse> out) {
        call(out, () -> {
            String dataset = dataset(req.getDataset());
            int k = req.getK() == 0 ? 10 : req.getK();
            if (k < 1 || k > MAX_K) {
                throw invalid("k must be in 1.." + MAX_K + ", got " + req.getK());
            }
            optionalName("experiment_id", req.getExperimentId());
            String metric = req.getMetric().isEmpty() ? DEFAULT_METRIC : req.getMetric();
            metric(dataset, metric, "metric");
            long version = topCache.version(dataset);
            TopResponse r = store.topResponse(new LeaderboardStore.Query(dataset, metric, k, req.getExperimentId(),
                    List.copyOf(req.getRulesList()), req.getAscending(), req.getExcludeUnreliable(), summary(req)));
            topCache.put(req, version, r);
            return r;
        });
    }

    /** ENTRY_VIEW_UNSPECIFIED is FULL: Top answered full entries before the field existed. */
    private static boolean summary(TopRequest req) {
        return switch (req.getView()) {
            case ENTRY_VIEW_SUMMARY -> true;
            case ENTRY_VIEW_UNSPECIFIED, ENTRY_VIEW_FULL -> false;
            case UNRECOGNIZED -> throw invalid("view must be ENTRY_VIEW_FULL or ENTRY_VIEW_SUMMARY, got the unknown value "
                    + req.getViewValue());
        };
    }

    @Override
    @Blocking
    public void getEntry(GetEntryRequest req, StreamObserver<LeaderboardEntry> out) {
        call(out, () -> {
            if (!GenomeCodec.isGenomeId(req.getGenomeId())) {
                throw invalid("genome_id must be 16 lower-case hex digits, got '" + req.getGenomeId() + "'");
            }
            String dataset = dataset(req.getDataset());
            LeaderboardEntry e = store.get(dataset, req.getGenomeId());
            if (e == null) {
                throw Status.NOT_FOUND.withDescription("no entry for genome " + req.getGenomeId() + " on " + dataset
                        + "; list entries with: leaderboard top --dataset " + dataset).asRuntimeException();
            }
            return e;
        });
    }

    @Override
    @Blocking
    public void getEntries(GetEntriesRequest req, StreamObserver<GetEntriesResponse> out) {
        call(out, () -> {
            requireName("dataset", req.getDataset()); // a dataset without results yet: every genome is still to come
            int n = req.getGenomeIdsCount();
            if (n < 1 || n > MAX_K) {
                throw invalid("genome_ids must hold 1.." + MAX_K + " ids, got " + n);
            }
            Set<String> ids = new LinkedHashSet<>();
            for (int i = 0; i < n; i++) {
                String id = req.getGenomeIds(i);
                if (!GenomeCodec.isGenomeId(id)) {
                    throw invalid("genome_ids[" + i + "] must be 16 lower-case hex digits, got '" + id + "'");
                }
                ids.add(id);
            }
            LeaderboardStore.Batch b = store.entries(req.getDataset(), List.copyOf(ids));
            return GetEntriesResponse.newBuilder().addAllEntries(b.entries()).addAllFailedGenomeIds(b.failedGenomeIds()).build();
        });
    }

    @Override
    @Blocking
    public void pareto(ParetoRequest req, StreamObserver<ParetoResponse> out) {
        call(out, () -> {
            String dataset = dataset(req.getDataset());
            optionalName("experiment_id", req.getExperimentId());
            MetricSet set = MetricSet.DEFAULT;
            if (req.getObjectivesCount() > 0) {
                List<MetricSet.Objective> objectives = new ArrayList<>();
                for (ObjectiveSpec o : req.getObjectivesList()) {
                    objectives.add(new MetricSet.Objective(o.getMetric(), !o.getMinimize()));
                }
                try {
                    set = new MetricSet(objectives);
                } catch (IllegalArgumentException e) {
                    throw invalid("objectives: " + e.getMessage());
                }
            }
            for (MetricSet.Objective o : set.objectives()) {
                metric(dataset, o.metric(), "objective metric");
            }
            int layers = req.getLayers() == 0 ? 1 : req.getLayers();
            if (layers < 1 || layers > MAX_LAYERS) {
                throw invalid("layers must be in 1.." + MAX_LAYERS + ", got " + req.getLayers());
            }
            int limit = req.getLimit() == 0 ? 100 : req.getLimit();
            if (limit < 1 || limit > MAX_K) {
                throw invalid("limit must be in 1.." + MAX_K + ", got " + req.getLimit());
            }
            try {
                return store.pareto(dataset, set, req.getExperimentId(), layers, limit);
            } catch (LeaderboardStore.TooLargeException e) {
                throw Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
            }
        });
    }

    @Override
    @Blocking
    public void stats(StatsRequest req, StreamObserver<StatsResponse> out) {
        call(out, () -> {
            String dataset = req.getDataset().isEmpty() ? "" : dataset(req.getDataset());
            optionalName("experiment_id", req.getExperimentId());
            String metric = req.getMetric().isEmpty() ? DEFAULT_METRIC : req.getMetric();
            if (!dataset.isEmpty()) {
                metric(dataset, metric, "metric");
            } else {
                requireName("metric", metric);
            }
            return StatsResponse.newBuilder().addAllDatasets(store.stats(dataset, req.getExperimentId(), metric)).build();
        });
    }

    @Override
    @Blocking
    public void watch(WatchRequest req, StreamObserver<LeaderboardEntry> out) {
        try {
            // a watch may wait for a dataset that has no results yet: only the form is checked
            optionalName("dataset", req.getDataset());
            optionalName("experiment_id", req.getExperimentId());
        } catch (StatusRuntimeException e) {
            out.onError(e);
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

    // ------------------------------------------------------------------ checks

    private String dataset(String dataset) {
        if (!Names.isName(dataset)) {
            throw invalid("dataset is required and must match " + Names.NAME.pattern() + ", got '" + dataset + "'");
        }
        if (!knownDatasets.contains(dataset)) {
            Set<String> all = store.datasets();
            knownDatasets.addAll(all);
            if (!all.contains(dataset)) {
                throw invalid("unknown dataset '" + dataset + "': no result names it yet; known: "
                        + (all.isEmpty() ? "none" : String.join(", ", all)));
            }
        }
        return dataset;
    }

    private void metric(String dataset, String metric, String what) {
        requireName(what, metric);
        Set<String> known = knownMetrics.computeIfAbsent(dataset, d -> ConcurrentHashMap.newKeySet());
        if (!known.contains(metric)) {
            Set<String> all = store.metrics(dataset);
            known.addAll(all);
            if (!all.contains(metric)) {
                throw invalid("unknown " + what + " '" + metric + "' for dataset " + dataset + "; known: "
                        + (all.isEmpty() ? "none yet" : String.join(", ", all)));
            }
        }
    }

    private static void optionalName(String field, String value) {
        if (!value.isEmpty()) {
            requireName(field, value);
        }
    }

    /** INVALID_ARGUMENT "field must match ..., got '...'" unless value is a name. */
    private static void requireName(String field, String value) {
        String problem = Names.nameProblem(field, value);
        if (problem != null) {
            throw invalid(problem);
        }
    }

    private static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    /** One unary call: the answer, or the status of what the checks threw (UnaryCalls maps it). */
    private static <T> void call(StreamObserver<T> out, Supplier<T> body) {
        // (also off the gRPC thread, in Top, where nobody else would turn Redis' failure into a status)
        UnaryCalls.answer(out, body, e -> e instanceof redis.clients.jedis.exceptions.JedisException
                ? Status.UNAVAILABLE.withDescription("the leaderboard's Redis: " + e.getMessage()) : null);
    }
}
