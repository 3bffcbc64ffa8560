package dev.mixrule.kernel.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.mixrule.kernel.genome.GenomeCodec;
import java.util.function.Function;

/** Parsing of record values with errors that say which topic and key were bad. */
public final class Records {
    private Records() {}

    public static <T extends Message> T parse(Parser<T> parser, String topic, String key, byte[] value) {
        if (value == null || value.length == 0) {
            throw new MalformedRecordException(DeadLetterReason.UNPARSEABLE, topic + " record with key '" + key + "' has an empty value");
        }
        try {
            return parser.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedRecordException(DeadLetterReason.UNPARSEABLE, topic + " record with key '" + key + "' is not valid protobuf: "
                    + e.getMessage(), e);
        }
    }

    /** Parses the value and checks that the key is the genome id it names: every topic's record invariant. */
    public static <T extends Message> T parseKeyed(Parser<T> parser, String topic, String key, byte[] value,
                                                   Function<T, String> genomeIdOf) {
        T parsed = parse(parser, topic, key, value);
        requireKey(topic, key, genomeIdOf.apply(parsed));
        return parsed;
    }

    /** Checks that a record's key is the genome id its value names. */
    public static void requireKey(String topic, String key, String genomeId) {
        if (!GenomeCodec.isGenomeId(genomeId)) {
            throw new MalformedRecordException(DeadLetterReason.BAD_KEY, topic + " record with key '" + key + "' carries genome_id '" + genomeId
                    + "', which is not 16 lower-case hex digits");
        }
        if (key != null && !key.equals(genomeId)) {
            throw new MalformedRecordException(DeadLetterReason.BAD_KEY, topic + " record key '" + key + "' differs from its genome_id '" + genomeId + "'");
        }
    }
}
