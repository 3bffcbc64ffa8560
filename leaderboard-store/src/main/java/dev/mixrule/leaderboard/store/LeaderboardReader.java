package dev.mixrule.leaderboard.store;

import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.UnsafeByteOperations;
import dev.mixrule.proto.DatasetStats;
import dev.mixrule.proto.ExperimentStats;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.Progress;
import dev.mixrule.proto.TopResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.resps.Tuple;

/** Reads of the leaderboard: entries, Top (a range read of a ranking), progress, names. */
final class LeaderboardReader {
    private final Supplier<Jedis> connections;
    private final StoreKeys keys;

    LeaderboardReader(Supplier<Jedis> connections, StoreKeys keys) {
        this.connections = connections;
        this.keys = keys;
    }

    LeaderboardEntry get(String dataset, String genomeId) {
        try (Jedis j = connections.get()) {
            return entries(j, dataset, List.of(genomeId)).get(0);
        }
    }

    /** The entries of these ids that exist, in order. */
    List<LeaderboardEntry> existing(Jedis j, String dataset, List<String> ids) {
        List<LeaderboardEntry> out = new ArrayList<>(ids.size());
        for (LeaderboardEntry e : ids.isEmpty() ? List.<LeaderboardEntry>of() : entries(j, dataset, ids)) {
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** The entries of these ids that exist, in order, and those of the others whose training failed: two round trips. */
    LeaderboardStore.Batch batch(String dataset, List<String> ids) {
        try (Jedis j = connections.get()) {
            List<LeaderboardEntry> found = new ArrayList<>(ids.size());
            List<String> missing = new ArrayList<>();
            List<LeaderboardEntry> all = entries(j, dataset, ids);
            for (int i = 0; i < ids.size(); i++) {
                if (all.get(i) != null) {
                    found.add(all.get(i));
                } else {
                    missing.add(ids.get(i));
                }
            }
            List<String> failed = new ArrayList<>();
            if (!missing.isEmpty()) {
                Pipeline p = j.pipelined();
                List<Response<Boolean>> member = missing.stream().map(id -> p.sismember(keys.failed(dataset, null), id)).toList();
                p.sync();
                for (int i = 0; i < missing.size(); i++) {
                    if (member.get(i).get()) {
                        failed.add(missing.get(i));
                    }
                }
            }
            return new LeaderboardStore.Batch(found, failed);
        }
    }

    /** The entries of these ids in order (null where gone), in one MGET. */
    private List<LeaderboardEntry> entries(Jedis j, String dataset, List<String> ids) {
        return entries(j, dataset, ids, false);
    }

    private List<LeaderboardEntry> entries(Jedis j, String dataset, List<String> ids, boolean summary) {
        List<LeaderboardEntry> out = new ArrayList<>(ids.size());
        for (byte[] raw : stored(j, dataset, ids, summary)) {
            out.add(raw == null ? null : EntryCodec.parse(raw));
        }
        return out;
    }

    /**
     * The stored bytes of these ids in order (null where gone): the entries, or their summaries in one MGET.
     * An entry written before summaries were stored has none: its summary is made from the entry (a second
     * MGET for those only), so a store filled by an older version lists correctly without a migration.
     */
    private List<byte[]> stored(Jedis j, String dataset, List<String> ids, boolean summary) {
        if (!summary) {
            return j.mget(keyArray(ids, id -> keys.entryBytes(dataset, id)));
        }
        List<byte[]> out = new ArrayList<>(j.mget(keyArray(ids, id -> keys.summaryBytes(dataset, id))));
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) == null) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            List<byte[]> full = j.mget(keyArray(missing.stream().map(ids::get).toList(), id -> keys.entryBytes(dataset, id)));
            for (int m = 0; m < missing.size(); m++) {
                byte[] raw = full.get(m);
                out.set(missing.get(m), raw == null ? null : EntrySummary.bytes(EntryCodec.parse(raw)));
            }
        }
        return out;
    }

    private static byte[][] keyArray(List<String> ids, Function<String, byte[]> key) {
        byte[][] out = new byte[ids.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = key.apply(ids.get(i));
        }
        return out;
    }

    Set<String> metrics(String dataset) {
        try (Jedis j = connections.get()) {
            return new TreeSet<>(j.smembers(keys.metrics(dataset)));
        }
    }

    Set<String> datasets() {
        try (Jedis j = connections.get()) {
            return new TreeSet<>(j.smembers(keys.datasets()));
        }
    }

    /** A page of a ranking's ids and the ranking's size, in one round trip. */
    private record Ids(Response<Long> total, Response<List<String>> ids) {
        static Ids read(Jedis j, String zkey, boolean ascending, long start, long stop) {
            Pipeline p = j.pipelined();
            Response<Long> card = p.zcard(zkey);
            Response<List<String>> ids = ascending ? p.zrange(zkey, start, stop) : p.zrevrange(zkey, start, stop);
            p.sync();
            return new Ids(card, ids);
        }
    }

    private String rankKey(LeaderboardStore.Query q) {
        return keys.rank(q.dataset(), q.metric(), StoreKeys.experiment(q.experimentId()));
    }

    LeaderboardStore.Page top(LeaderboardStore.Query q) {
        String zkey = rankKey(q);
        boolean filtered = !q.rules().isEmpty() || q.excludeUnreliable();
        List<LeaderboardEntry> out = new ArrayList<>(q.k());
        try (Jedis j = connections.get()) {
            long total = -1;
            int pageSize = filtered ? Math.max(q.k() * 2, 100) : q.k();
            for (long start = 0; out.size() < q.k() && (total < 0 || start < total); start += pageSize) {
                Ids page = Ids.read(j, zkey, q.ascending(), start, start + pageSize - 1);
                total = page.total().get();
                if (page.ids().get().isEmpty()) {
                    break;
                }
                int position = (int) start;
                for (LeaderboardEntry e : entries(j, q.dataset(), page.ids().get(), q.summary())) {
                    position++;
                    if (e == null || (q.excludeUnreliable() && e.getUnreliable()) || !e.getRulesList().containsAll(q.rules())) {
                        continue;
                    }
                    out.add(e.toBuilder().setRank(filtered ? out.size() + 1 : position).build());
                    if (out.size() == q.k()) {
                        break;
                    }
                }
            }
            return new LeaderboardStore.Page(out, Math.max(total, 0));
        }
    }

    /** Top as the gRPC response, unfiltered ones framed from the stored bytes (see LeaderboardStore#topResponse). */
    TopResponse topResponse(LeaderboardStore.Query q) {
        if (!q.rules().isEmpty() || q.excludeUnreliable()) {
            LeaderboardStore.Page p = top(q);
            return TopResponse.newBuilder().addAllEntries(p.entries()).setTotal(p.total()).build();
        }
        try (Jedis j = connections.get()) {
            Ids page = Ids.read(j, rankKey(q), q.ascending(), 0, q.k() - 1);
            List<String> ids = page.ids().get();
            UnknownFieldSet.Field.Builder entries = UnknownFieldSet.Field.newBuilder();
            if (!ids.isEmpty()) {
                int rank = 0;
                for (byte[] raw : stored(j, q.dataset(), ids, q.summary())) {
                    rank++;
                    if (raw != null) {
                        entries.addLengthDelimited(UnsafeByteOperations.unsafeWrap(EntryCodec.withRank(raw, rank)));
                    }
                }
            }
            return TopResponse.newBuilder().setTotal(page.total().get())
                    .setUnknownFields(UnknownFieldSet.newBuilder().addField(TopResponse.ENTRIES_FIELD_NUMBER, entries.build()).build())
                    .build();
        }
    }

    /** Progress of every dataset (or one), each with its experiments (or one). */
    List<DatasetStats> stats(String dataset, String experimentId, String metric) {
        List<DatasetStats> out = new ArrayList<>();
        try (Jedis j = connections.get()) {
            Collection<String> datasets = dataset.isEmpty() ? new TreeSet<>(j.smembers(keys.datasets())) : List.of(dataset);
            for (String ds : datasets) {
                Map<String, String> counters = j.hgetAll(keys.stats(ds));
                DatasetStats.Builder b = DatasetStats.newBuilder().setDataset(ds).setProgress(progress(j, counters, ds, null, metric));
                Collection<String> exps = experimentId.isEmpty() ? new TreeSet<>(j.smembers(keys.experiments(ds)))
                        : List.of(experimentId);
                for (String e : exps) {
                    b.addExperiments(ExperimentStats.newBuilder().setExperimentId(e).setProgress(progress(j, counters, ds, e, metric)));
                }
                out.add(b.build());
            }
        }
        return out;
    }

    private Progress progress(Jedis j, Map<String, String> counters, String dataset, String experiment, String metric) {
        String field = StoreKeys.counterPrefix(experiment);
        Progress.Builder p = Progress.newBuilder()
                .setEntries(Long.parseLong(counters.getOrDefault(field + EntryCodec.ENTRIES, "0")))
                .setTrained(Long.parseLong(counters.getOrDefault(field + EntryCodec.TRAINED, "0")))
                .setEvaluated(Long.parseLong(counters.getOrDefault(field + EntryCodec.EVALUATED, "0")))
                .setFailed(j.scard(keys.failed(dataset, experiment)));
        List<Tuple> best = j.zrevrangeWithScores(keys.rank(dataset, metric, experiment), 0, 0);
        if (!best.isEmpty()) {
            p.setBestGenomeId(best.get(0).getElement()).setBestValue(best.get(0).getScore());
        }
        return p.build();
    }
}
