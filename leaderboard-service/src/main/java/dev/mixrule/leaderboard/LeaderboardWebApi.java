package dev.mixrule.leaderboard;

import dev.mixrule.kernel.messaging.Names;
import dev.mixrule.kernel.search.Pareto;
import dev.mixrule.kernel.search.SelectionMetrics;
import dev.mixrule.leaderboard.store.BestSoFar;
import dev.mixrule.leaderboard.store.EntryJson;
import dev.mixrule.leaderboard.store.LeaderboardStore;
import dev.mixrule.proto.LeaderboardEntry;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The JSON API behind the web page (src/main/resources/META-INF/resources): a snapshot of the
 * entries, the Pareto front of two metrics, the best so far over time per experiment, and the live change feed as
 * server-sent events. Every
 * entry is the store's {@link EntryJson}, the same view the CLI prints.
 * Bad query parameters get 400 with {"message": "..."}.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class LeaderboardWebApi {
    static final int MAX_LIMIT = 5000;
    static final int DEFAULT_LIMIT = 1000;
    /** Changes a slow browser may fall behind by before its stream is closed (it then reconnects and reloads). */
    static final int WATCH_BUFFER = 512;

    public record EntriesPage(String dataset, String metric, long total, List<String> metrics, List<Map<String, Object>> entries) {}

    /**
     * The entries that no other entry beats in both x and y (larger is better), best x first, found
     * among the {@code scanned} best entries by x of the {@code total} that have x.
     */
    public record Front(String dataset, String x, String y, int scanned, long total, List<Map<String, Object>> front) {}

    /**
     * Search progress: per experiment, the steps where the best {@code metric} so far improved (a metric that may
     * select: validation or genome metrics), from the best {@code scanned} entries by it of the {@code total}.
     */
    public record Progress(String dataset, String metric, int scanned, long total, List<BestSoFar.Series> experiments) {}

    public record Problem(String message) {}

    private final LeaderboardStore store;
    private final ChangeFeed feed;

    public LeaderboardWebApi(LeaderboardStore store, ChangeFeed feed) {
        this.store = store;
        this.feed = feed;
    }

    @GET
    @Path("/datasets")
    public List<String> datasets() {
        return List.copyOf(store.datasets()); // sorted
    }

    /** The best {@code limit} entries of a dataset by {@code metric}, highest first. */
    @GET
    @Path("/entries")
    public EntriesPage entries(@RestQuery String dataset, @RestQuery String metric, @RestQuery String limit,
                               @RestQuery String experiment) {
        String ds = requireName("dataset", dataset);
        Set<String> known = store.metrics(ds);
        String m = metric(ds, "metric", metric == null ? LeaderboardGrpcService.DEFAULT_METRIC : metric, known);
        int k = limit(limit);
        LeaderboardStore.Page page = store.top(query(ds, m, k, experiment));
        return new EntriesPage(ds, m, page.total(), List.copyOf(known), page.entries().stream().map(EntryJson::of).toList());
    }

    /**
     * The Pareto front of x and y (both maximised) over the best {@link #MAX_LIMIT} entries by x: the
     * kernel's {@link Pareto#front}, which compares each entry with the front only.
     */
    @GET
    @Path("/pareto")
    public Front pareto(@RestQuery String dataset, @RestQuery String x, @RestQuery String y, @RestQuery String experiment) {
        String ds = requireName("dataset", dataset);
        Set<String> known = store.metrics(ds);
        String mx = metric(ds, "x", x == null ? LeaderboardGrpcService.DEFAULT_METRIC : x, known);
        if (y == null) {
            throw badRequest("y is required: the second metric of the front, one of " + String.join(", ", known));
        }
        String my = metric(ds, "y", y, known);
        LeaderboardStore.Page page = store.top(query(ds, mx, MAX_LIMIT, experiment));
        // best x first (then best y); the front keeps that order
        List<LeaderboardEntry> both = page.entries().stream().filter(e -> e.containsMetrics(my))
                .sorted(Comparator.comparingDouble((LeaderboardEntry e) -> -e.getMetricsOrThrow(mx))
                        .thenComparingDouble(e -> -e.getMetricsOrThrow(my)))
                .toList();
        List<LeaderboardEntry> front = Pareto.front(both.stream().map(e -> new double[] {e.getMetricsOrThrow(mx),
                e.getMetricsOrThrow(my)}).toList()).stream().map(both::get).toList();
        return new Front(ds, mx, my, page.entries().size(), page.total(), front.stream().map(EntryJson::of).toList());
    }

    /**
     * Best so far over time per experiment (of one experiment, if given), by {@code metric} (default valid_accuracy).
     * Test-split metrics are refused: the best so far is what a search would have chosen, and selection never sees
     * the test split.
     */
    @GET
    @Path("/progress")
    public Progress progress(@RestQuery String dataset, @RestQuery String metric, @RestQuery String experiment) {
        String ds = requireName("dataset", dataset);
        String m = metric(ds, "metric", metric == null ? LeaderboardGrpcService.DEFAULT_METRIC : metric, store.metrics(ds));
        SelectionMetrics.refusal(m).ifPresent(why -> {
            throw badRequest("metric: " + why);
        });
        LeaderboardStore.Page page = store.top(query(ds, m, MAX_LIMIT, experiment, BestSoFar.minimised(m))); // its best entries
        return new Progress(ds, m, page.entries().size(), page.total(), BestSoFar.of(page.entries(), m));
    }

    /** Every new or changed entry (of one dataset, if given), as it is applied. */
    @GET
    @Path("/watch")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<Map<String, Object>> watch(@RestQuery String dataset) {
        String ds = dataset == null ? null : requireName("dataset", dataset);
        return Multi.createFrom().emitter(emitter -> {
            Runnable unsubscribe = feed.subscribe(e -> {
                if (ds == null || ds.equals(e.getDataset())) {
                    emitter.emit(EntryJson.of(e));
                }
            });
            emitter.onTermination(unsubscribe);
        }, WATCH_BUFFER);
    }

    private static LeaderboardStore.Query query(String dataset, String metric, int k, String experiment) {
        return query(dataset, metric, k, experiment, false);
    }

    private static LeaderboardStore.Query query(String dataset, String metric, int k, String experiment, boolean ascending) {
        String exp = experiment == null || experiment.isEmpty() ? "" : requireName("experiment", experiment);
        return new LeaderboardStore.Query(dataset, metric, k, exp, List.of(), ascending, false);
    }

    private static String requireName(String param, String value) {
        if (!Names.isName(value)) {
            throw badRequest(param + " is required and must match " + Names.NAME.pattern()
                    + ", got '" + (value == null ? "" : value) + "'");
        }
        return value;
    }

    private static String metric(String dataset, String param, String value, Set<String> known) {
        requireName(param, value);
        if (!known.isEmpty() && !known.contains(value)) {
            throw badRequest("unknown metric '" + value + "'" + (param.equals("metric") ? "" : " for " + param)
                    + " for dataset " + dataset + "; known: " + String.join(", ", known));
        }
        return value;
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int k = Integer.parseInt(value);
            if (k >= 1 && k <= MAX_LIMIT) {
                return k;
            }
        } catch (NumberFormatException ignored) {
            // reported below like any other out-of-range value
        }
        throw badRequest("limit must be an integer in 1.." + MAX_LIMIT + ", got '" + value + "'");
    }

    private static WebApplicationException badRequest(String message) {
        return new WebApplicationException(Response.status(Response.Status.BAD_REQUEST)
                .type(MediaType.APPLICATION_JSON).entity(new Problem(message)).build());
    }
}
