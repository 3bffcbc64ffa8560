package dev.mixrule.leaderboard.store;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.LeaderboardEntry;
import java.io.IOException;
import java.util.List;

/** Entries as stored (protobuf bytes), and the progress counters an entry counts in. */
public final class EntryCodec {
    /** The counters of {@link StoreKeys#stats}, in the order of {@link #flags}. */
    public static final String ENTRIES = "entries";
    public static final String TRAINED = "trained";
    public static final String EVALUATED = "evaluated";
    public static final List<String> COUNTERS = List.of(ENTRIES, TRAINED, EVALUATED);

    private EntryCodec() {}

    public static LeaderboardEntry parse(byte[] raw) {
        try {
            return LeaderboardEntry.parseFrom(raw);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt leaderboard entry in Redis: " + e.getMessage(), e);
        }
    }

    /** Which of {@link #COUNTERS} the entry counts in; all false for null. */
    public static boolean[] flags(LeaderboardEntry e) {
        if (e == null) {
            return new boolean[COUNTERS.size()];
        }
        boolean evaluated = false;
        for (EvaluationResult r : e.getEvaluationsList()) {
            evaluated |= r.getStatus() == EvaluationStatus.EVALUATION_STATUS_SUCCEEDED;
        }
        return new boolean[] {true, e.hasTraining(), evaluated};
    }

    /** The entry's bytes with its rank field appended: for a scalar field the last value on the wire wins. */
    static byte[] withRank(byte[] raw, int rank) {
        int tag = LeaderboardEntry.RANK_FIELD_NUMBER << 3; // wire type 0, varint
        byte[] out = new byte[raw.length + CodedOutputStream.computeUInt32SizeNoTag(tag) + CodedOutputStream.computeInt32SizeNoTag(rank)];
        System.arraycopy(raw, 0, out, 0, raw.length);
        CodedOutputStream c = CodedOutputStream.newInstance(out, raw.length, out.length - raw.length);
        try {
            c.writeUInt32NoTag(tag);
            c.writeInt32NoTag(rank);
            c.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
