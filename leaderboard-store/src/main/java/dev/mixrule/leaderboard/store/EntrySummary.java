package dev.mixrule.leaderboard.store;

import dev.mixrule.proto.LeaderboardEntry;

/**
 * The summary view of an entry (TopRequest.view = ENTRY_VIEW_SUMMARY): what a listing shows. It keeps
 * identity, canonical architecture, rules, cost, every metric, the flags and times, and drops what only
 * a detail view needs and what makes an entry large: the genome (the canonical string names it), the
 * training metrics (per-epoch curves, layer alignment), the evaluations (their metrics are in the map)
 * and the checkpoint's address and hash. Stored beside each entry, written in the entry's transaction,
 * so a listing reads half the bytes or less (more saved the longer the learning curves) and parses nothing.
 */
public final class EntrySummary {
    private EntrySummary() {}

    public static LeaderboardEntry of(LeaderboardEntry e) {
        return e.toBuilder().clearGenome().clearTraining().clearEvaluations().clearCheckpointUri().clearCheckpointSha256().build();
    }

    /** The stored summary's bytes for an entry. */
    static byte[] bytes(LeaderboardEntry e) {
        return of(e).toByteArray();
    }
}
