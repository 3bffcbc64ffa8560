package dev.mixrule.sampler;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mixrule.proto.internal.GenomeOutcome;
import dev.mixrule.proto.internal.SamplerGenomeState;
import dev.mixrule.sampler.SamplerStore.Kind;
import dev.mixrule.sampler.SamplerStore.Outcome;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-genome values of the sampler's Redis hashes: a {@link SamplerGenomeState} in base64 (like the stored specs and
 * candidates). Values written before it, as {@code k=v;...} text (outcomes as {@code KIND\nk=v;...\nreason}), are
 * still read, so a Redis kept across an upgrade carries on; they are never written again.
 */
final class GenomeStateCodec {
    private static final String OUTCOME_PREFIX = "GENOME_OUTCOME_";

    private GenomeStateCodec() {}

    static String metrics(Map<String, Double> metrics) {
        return b64(SamplerGenomeState.newBuilder().putAllMetrics(metrics).build());
    }

    static String outcome(Outcome o) {
        return b64(SamplerGenomeState.newBuilder().putAllMetrics(o.metrics())
                .setOutcome(GenomeOutcome.valueOf(OUTCOME_PREFIX + o.kind().name())).setReason(o.reason()).build());
    }

    static Map<String, Double> readMetrics(String value) {
        return isLegacy(value) ? legacyMetrics(value) : new HashMap<>(parse(value).getMetricsMap());
    }

    static Outcome readOutcome(String value) {
        if (isLegacy(value)) {
            String[] parts = value.split("\n", 3);
            return new Outcome(Kind.valueOf(parts[0]), legacyMetrics(parts[1]), parts.length > 2 ? parts[2] : "");
        }
        SamplerGenomeState s = parse(value);
        Kind kind = Kind.valueOf(s.getOutcome().name().substring(OUTCOME_PREFIX.length()));
        return new Outcome(kind, new HashMap<>(s.getMetricsMap()), s.getReason());
    }

    /**
     * The old text always holds a '=' between a name and a number (or a line break, for an outcome); base64 holds
     * '=' only as padding at its end, and the old text never ends in '='. Both spell no metrics as "".
     */
    static boolean isLegacy(String value) {
        String unpadded = value.replaceAll("=+$", "");
        return unpadded.indexOf('=') >= 0 || value.indexOf('\n') >= 0;
    }

    private static Map<String, Double> legacyMetrics(String s) {
        Map<String, Double> m = new HashMap<>();
        if (!s.isEmpty()) {
            for (String kv : s.split(";")) {
                int eq = kv.indexOf('=');
                m.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
            }
        }
        return m;
    }

    private static SamplerGenomeState parse(String value) {
        try {
            return SamplerGenomeState.parseFrom(Base64.getDecoder().decode(value));
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            throw new IllegalStateException("a sampler genome state in Redis is corrupt: " + e.getMessage(), e);
        }
    }

    private static String b64(SamplerGenomeState s) {
        return Base64.getEncoder().encodeToString(s.toByteArray());
    }
}
