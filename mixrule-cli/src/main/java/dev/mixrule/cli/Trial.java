package dev.mixrule.cli;

import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.TrainingStatus;
import java.util.Locale;

/**
 * One trial of an experiment: a genome its sampler proposed (or reused: told its known score instead of training it
 * again), what became of it, and its leaderboard entry (null while it has none: failed or still to come).
 */
public record Trial(String genomeId, Status status, boolean reused, LeaderboardEntry entry) {
    /** What became of a trial, from its entry's training status or the leaderboard's failed set. */
    public enum Status {
        SUCCEEDED, EARLY_STOPPED, FAILED, PENDING;

        /** As the exports write it: succeeded, early_stopped, failed, pending. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status of(LeaderboardEntry e) {
            return e.getTrainingStatus() == TrainingStatus.TRAINING_STATUS_EARLY_STOPPED ? EARLY_STOPPED
                    : e.hasTraining() ? SUCCEEDED : PENDING; // evaluated but not trained: its training result is still to come
        }
    }
}
