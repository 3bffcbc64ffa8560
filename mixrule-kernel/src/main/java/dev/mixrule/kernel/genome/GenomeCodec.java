package dev.mixrule.kernel.genome;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.mixrule.proto.Activation;
import dev.mixrule.proto.ChainArchitecture;
import dev.mixrule.proto.ChainLayer;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.LayerKind;
import dev.mixrule.proto.LearningRule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one codec for genomes: canonical text, JSON and protobuf, and the genome id.
 *
 * <p>Canonical text of a chain genome: {@code chain:pad2|conv5x5-6-p0-relu@bp|maxpool2|dense-10@fa}.
 * The id is the first 16 hex digits of SHA-256 over that text, so equal genomes share an id everywhere.
 */
public final class GenomeCodec {
    private static final Pattern CONV = Pattern.compile("conv(\\d+)x(\\d+)-(\\d+)-p(\\d+)(?:-([a-z]+))?@([a-z]+)");
    private static final Pattern DENSE = Pattern.compile("dense-(\\d+)(?:-([a-z]+))?@([a-z]+)");
    private static final Pattern POOL = Pattern.compile("(max|avg)pool(\\d+)");
    private static final Pattern PAD = Pattern.compile("pad(\\d+)");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private GenomeCodec() {}

    // ------------------------------------------------------------------ id

    public static String id(Genome genome) {
        return idOfCanonical(toCanonical(genome));
    }

    public static String idOfCanonical(String canonical) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    public static boolean isGenomeId(String s) {
        return s != null && ID.matcher(s).matches();
    }

    // ------------------------------------------------------------------ canonical text

    /** The canonical text: rule labels that cannot change training in their canonical form ({@link RuleSemantics}). */
    public static String toCanonical(Genome given) {
        return text(RuleSemantics.canonical(given));
    }

    /** The text of a genome already in canonical form (a {@link GenomePlan}'s): no second canonicalisation. */
    public static String text(Genome genome) {
        if (genome.hasNb201()) {
            return Nb201Text.toCanonical(genome.getNb201());
        }
        if (!genome.hasChain()) {
            throw new InvalidGenomeException("architecture", "no architecture set (expected 'chain' or 'nb201')");
        }
        ChainArchitecture chain = genome.getChain();
        StringBuilder sb = new StringBuilder("chain:pad").append(chain.getInputPadding());
        for (ChainLayer l : chain.getLayersList()) {
            sb.append('|').append(layerText(l));
        }
        return sb.toString();
    }

    private static String layerText(ChainLayer l) {
        return switch (l.getKind()) {
            case LAYER_KIND_CONV -> "conv" + l.getKernel() + "x" + l.getKernel() + "-" + l.getWidth() + "-p"
                    + l.getPadding() + activationSuffix(l.getActivation()) + "@" + ruleText(l.getRule());
            case LAYER_KIND_DENSE -> "dense-" + l.getWidth() + activationSuffix(l.getActivation()) + "@"
                    + ruleText(l.getRule());
            case LAYER_KIND_MAX_POOL -> "maxpool" + l.getKernel();
            case LAYER_KIND_AVG_POOL -> "avgpool" + l.getKernel();
            default -> "unspecified";
        };
    }

    static String ruleText(LearningRule rule) {
        return rule == LearningRule.LEARNING_RULE_UNSPECIFIED || rule == LearningRule.UNRECOGNIZED
                ? "unset" : Rule.fromProto(rule).shortName();
    }

    private static String activationSuffix(Activation a) {
        return switch (a) {
            case ACTIVATION_RELU -> "-relu";
            case ACTIVATION_TANH -> "-tanh";
            default -> "";
        };
    }

    public static Genome fromCanonical(String text) {
        String t = text.trim();
        if (t.startsWith("nb201:")) {
            return Genome.newBuilder().setNb201(Nb201Text.fromCanonical(t)).build();
        }
        if (!t.startsWith("chain:")) {
            throw new InvalidGenomeException("canonical", "expected text starting with 'chain:' or 'nb201:', got '"
                    + abbreviate(t) + "'");
        }
        String[] parts = t.substring("chain:".length()).split("\\|");
        Matcher pad = PAD.matcher(parts[0]);
        if (!pad.matches()) {
            throw new InvalidGenomeException("canonical", "expected 'padN' after 'chain:', got '" + parts[0] + "'");
        }
        ChainArchitecture.Builder chain = ChainArchitecture.newBuilder().setInputPadding(Integer.parseInt(pad.group(1)));
        for (int i = 1; i < parts.length; i++) {
            chain.addLayers(parseLayer(parts[i], "layers[" + (i - 1) + "]"));
        }
        return Genome.newBuilder().setChain(chain).build();
    }

    private static ChainLayer parseLayer(String p, String field) {
        Matcher m;
        if ((m = CONV.matcher(p)).matches()) {
            if (!m.group(1).equals(m.group(2))) {
                throw new InvalidGenomeException(field, "only square kernels are supported, got " + m.group(1) + "x" + m.group(2));
            }
            return ChainLayer.newBuilder().setKind(LayerKind.LAYER_KIND_CONV).setKernel(Integer.parseInt(m.group(1)))
                    .setWidth(Integer.parseInt(m.group(3))).setPadding(Integer.parseInt(m.group(4)))
                    .setActivation(parseActivation(m.group(5), field)).setRule(parseRule(m.group(6), field)).build();
        }
        if ((m = DENSE.matcher(p)).matches()) {
            return ChainLayer.newBuilder().setKind(LayerKind.LAYER_KIND_DENSE).setWidth(Integer.parseInt(m.group(1)))
                    .setActivation(parseActivation(m.group(2), field)).setRule(parseRule(m.group(3), field)).build();
        }
        if ((m = POOL.matcher(p)).matches()) {
            return ChainLayer.newBuilder()
                    .setKind(m.group(1).equals("max") ? LayerKind.LAYER_KIND_MAX_POOL : LayerKind.LAYER_KIND_AVG_POOL)
                    .setKernel(Integer.parseInt(m.group(2))).build();
        }
        throw new InvalidGenomeException(field, "cannot read layer '" + p
                + "'; expected e.g. conv3x3-32-p1-relu@fa, dense-10@bp, maxpool2 or avgpool2");
    }

    static LearningRule parseRule(String name, String field) {
        try {
            return Rule.fromName(name).proto();
        } catch (IllegalArgumentException e) {
            throw new InvalidGenomeException(field + ".rule", e.getMessage());
        }
    }

    private static Activation parseActivation(String name, String field) {
        if (name == null || name.equals("none")) {
            return Activation.ACTIVATION_NONE;
        }
        return switch (name) {
            case "relu" -> Activation.ACTIVATION_RELU;
            case "tanh" -> Activation.ACTIVATION_TANH;
            default -> throw new InvalidGenomeException(field + ".activation",
                    "unknown activation '" + name + "'; known: relu, tanh, none");
        };
    }

    // ------------------------------------------------------------------ JSON

    /** Pretty JSON with the genome id and canonical text beside the layers. */
    public static String toJson(Genome genome) {
        return GSON.toJson(toJsonObject(genome));
    }

    public static JsonObject toJsonObject(Genome genome) {
        JsonObject o = new JsonObject();
        String canonical = toCanonical(genome);
        o.addProperty("genome_id", idOfCanonical(canonical));
        o.addProperty("canonical", canonical);
        if (genome.hasNb201()) {
            Nb201Text.toJson(genome.getNb201(), o);
            return o;
        }
        o.addProperty("space", Architecture.CHAIN.key());
        ChainArchitecture chain = genome.getChain();
        o.addProperty("input_padding", chain.getInputPadding());
        JsonArray layers = new JsonArray();
        for (ChainLayer l : chain.getLayersList()) {
            JsonObject lo = new JsonObject();
            switch (l.getKind()) {
                case LAYER_KIND_CONV -> {
                    lo.addProperty("op", "conv");
                    lo.addProperty("width", l.getWidth());
                    lo.addProperty("kernel", l.getKernel());
                    lo.addProperty("padding", l.getPadding());
                    lo.addProperty("activation", activationName(l.getActivation()));
                    lo.addProperty("rule", ruleText(l.getRule()));
                }
                case LAYER_KIND_DENSE -> {
                    lo.addProperty("op", "dense");
                    lo.addProperty("width", l.getWidth());
                    lo.addProperty("activation", activationName(l.getActivation()));
                    lo.addProperty("rule", ruleText(l.getRule()));
                }
                case LAYER_KIND_MAX_POOL -> {
                    lo.addProperty("op", "maxpool");
                    lo.addProperty("kernel", l.getKernel());
                }
                case LAYER_KIND_AVG_POOL -> {
                    lo.addProperty("op", "avgpool");
                    lo.addProperty("kernel", l.getKernel());
                }
                default -> lo.addProperty("op", "unspecified");
            }
            layers.add(lo);
        }
        o.add("layers", layers);
        return o;
    }

    private static String activationName(Activation a) {
        return switch (a) {
            case ACTIVATION_RELU -> "relu";
            case ACTIVATION_TANH -> "tanh";
            default -> "none";
        };
    }

    /**
     * Reads a genome from JSON: either the object {@link #toJson} writes (genome_id and canonical are
     * checked, not trusted) or an object with just a "canonical" field.
     */
    public static Genome fromJson(String json) {
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) {
                throw new InvalidGenomeException("$", "expected a JSON object");
            }
            o = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new InvalidGenomeException("$", "not valid JSON: " + e.getMessage());
        }
        Genome genome;
        if (o.has("space") && o.get("space").getAsString().equals(Architecture.NB201.key())) {
            genome = Genome.newBuilder().setNb201(Nb201Text.fromJson(o)).build();
        } else if (!o.has("layers")) {
            if (!o.has("canonical")) {
                throw new InvalidGenomeException("layers", "missing; give 'layers' or 'canonical'");
            }
            genome = fromCanonical(o.get("canonical").getAsString());
        } else {
            String space = o.has("space") ? o.get("space").getAsString() : Architecture.CHAIN.key();
            if (!space.equals(Architecture.CHAIN.key())) {
                throw new InvalidGenomeException("space", "unknown search space '" + space + "'; known: " + Architecture.names());
            }
            ChainArchitecture.Builder chain = ChainArchitecture.newBuilder();
            if (o.has("input_padding")) {
                chain.setInputPadding(intField(o, "input_padding", "input_padding"));
            }
            JsonArray layers = o.getAsJsonArray("layers");
            for (int i = 0; i < layers.size(); i++) {
                String field = "layers[" + i + "]";
                if (!layers.get(i).isJsonObject()) {
                    throw new InvalidGenomeException(field, "expected an object");
                }
                chain.addLayers(layerFromJson(layers.get(i).getAsJsonObject(), field));
            }
            genome = Genome.newBuilder().setChain(chain).build();
        }
        String id = id(genome);
        if (o.has("genome_id") && !o.get("genome_id").getAsString().equals(id)) {
            throw new InvalidGenomeException("genome_id", "'" + o.get("genome_id").getAsString()
                    + "' does not match the layers (their id is " + id + "); remove it or fix it");
        }
        return genome;
    }

    private static ChainLayer layerFromJson(JsonObject lo, String field) {
        String op = lo.has("op") ? lo.get("op").getAsString().toLowerCase(Locale.ROOT) : "";
        ChainLayer.Builder b = ChainLayer.newBuilder();
        switch (op) {
            case "conv" -> b.setKind(LayerKind.LAYER_KIND_CONV);
            case "dense" -> b.setKind(LayerKind.LAYER_KIND_DENSE);
            case "maxpool" -> b.setKind(LayerKind.LAYER_KIND_MAX_POOL);
            case "avgpool" -> b.setKind(LayerKind.LAYER_KIND_AVG_POOL);
            default -> throw new InvalidGenomeException(field + ".op",
                    "unknown op '" + op + "'; known: conv, dense, maxpool, avgpool");
        }
        if (lo.has("width")) {
            b.setWidth(intField(lo, "width", field + ".width"));
        }
        if (lo.has("kernel")) {
            b.setKernel(intField(lo, "kernel", field + ".kernel"));
        }
        if (lo.has("padding")) {
            b.setPadding(intField(lo, "padding", field + ".padding"));
        }
        if (lo.has("activation")) {
            b.setActivation(parseActivation(lo.get("activation").getAsString(), field));
        }
        if (lo.has("rule") && !lo.get("rule").isJsonNull()) {
            b.setRule(parseRule(lo.get("rule").getAsString(), field));
        }
        return b.build();
    }

    private static int intField(JsonObject o, String name, String field) {
        try {
            return o.get(name).getAsInt();
        } catch (RuntimeException e) {
            throw new InvalidGenomeException(field, "expected an integer, got " + o.get(name));
        }
    }

    /** Reads a genome from text that is either JSON or canonical text. */
    public static Genome parse(String text) {
        String t = text.trim();
        return t.startsWith("{") ? fromJson(t) : fromCanonical(t);
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
