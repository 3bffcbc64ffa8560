package dev.mixrule.kernel.recipe;

import com.google.protobuf.CodedOutputStream;
import dev.mixrule.proto.TrainingConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a genome was trained, as a short stable key: a score is reused only for the same genome, dataset
 * and recipe. The key hashes the fully resolved TrainingConfig (defaults filled in, so "epochs 0" and
 * "epochs 1" are one recipe) serialised deterministically, and the seed policy. Fields TrainingOptions
 * does not know yet are kept as sent, so a field added to TrainingConfig changes the key by itself.
 */
public final class Recipe {
    /**
     * Every candidate of an experiment trains with TrainingConfig.seed as given (initialisation, feedback
     * matrices, shuffling). Change this text when the trainers derive seeds differently.
     */
    public static final String SEED_POLICY = "seed=training.seed";

    private Recipe() {}

    /** The resolved config: what a trainer actually uses. Throws IllegalArgumentException on an invalid config. */
    public static TrainingConfig resolve(TrainingConfig c) {
        // repeated fields would be appended by mergeFrom, so they come from the resolved side alone
        return c.toBuilder().clearHebbianInverseTemperatures().mergeFrom(TrainingOptions.fromProto(c).toProto()).build();
    }

    /** 16 lower-case hex digits identifying the recipe. */
    public static String key(TrainingConfig c) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.useDeterministicSerialization();
            resolve(c).writeTo(out);
            out.flush();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bytes.toByteArray());
            sha.update((byte) 0);
            sha.update(SEED_POLICY.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
