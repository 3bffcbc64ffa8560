package dev.mixrule.kernel.genome;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.mixrule.proto.CellOp;
import dev.mixrule.proto.LearningRule;
import dev.mixrule.proto.Nb201Architecture;
import dev.mixrule.proto.Nb201Edge;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text forms of NAS-Bench-201 genomes, for {@link GenomeCodec}. Canonical:
 * {@code nb201:C16:N5:stem@bp:reduce@bp:head@bp:|nor_conv_3x3~0@fa|+|...|}; defaults are written out.
 */
final class Nb201Text {
    private static final Pattern HEAD = Pattern.compile("nb201:C(\\d+):N(\\d+):stem@([a-z]+):reduce@([a-z]+):head@([a-z]+):(\\|.*\\|)");
    private static final Pattern EDGE = Pattern.compile("([a-z_0-9x]+)~(\\d)(?:@([a-z]+))?");

    private Nb201Text() {}

    static String opName(CellOp op) {
        return switch (op) {
            case CELL_OP_NONE -> "none";
            case CELL_OP_SKIP_CONNECT -> "skip_connect";
            case CELL_OP_NOR_CONV_1X1 -> "nor_conv_1x1";
            case CELL_OP_NOR_CONV_3X3 -> "nor_conv_3x3";
            case CELL_OP_AVG_POOL_3X3 -> "avg_pool_3x3";
            default -> "unspecified";
        };
    }

    static CellOp parseOp(String name, String field) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none" -> CellOp.CELL_OP_NONE;
            case "skip_connect" -> CellOp.CELL_OP_SKIP_CONNECT;
            case "nor_conv_1x1" -> CellOp.CELL_OP_NOR_CONV_1X1;
            case "nor_conv_3x3" -> CellOp.CELL_OP_NOR_CONV_3X3;
            case "avg_pool_3x3" -> CellOp.CELL_OP_AVG_POOL_3X3;
            default -> throw new InvalidGenomeException(field, "unknown op '" + name
                    + "'; known: none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3");
        };
    }

    static String toCanonical(Nb201Architecture a) {
        StringBuilder sb = new StringBuilder("nb201:C").append(Nb201Plan.channels(a)).append(":N").append(Nb201Plan.cells(a))
                .append(":stem@").append(GenomeCodec.ruleText(a.getStemRule()))
                .append(":reduce@").append(GenomeCodec.ruleText(a.getReductionRule()))
                .append(":head@").append(GenomeCodec.ruleText(a.getClassifierRule())).append(":|");
        for (int i = 0; i < a.getEdgesCount(); i++) {
            Nb201Edge e = a.getEdges(i);
            if (i > 0 && Nb201Plan.TO[Math.min(i, 5)] != Nb201Plan.TO[Math.min(i - 1, 5)]) {
                sb.append("+|");
            }
            sb.append(opName(e.getOp())).append('~').append(i < 6 ? Nb201Plan.FROM[i] : 0);
            if (e.getRule() != LearningRule.LEARNING_RULE_UNSPECIFIED) {
                sb.append('@').append(GenomeCodec.ruleText(e.getRule()));
            }
            sb.append('|');
        }
        return sb.toString();
    }

    static Nb201Architecture fromCanonical(String t) {
        Matcher m = HEAD.matcher(t);
        if (!m.matches()) {
            throw new InvalidGenomeException("canonical", "expected nb201:C<channels>:N<cells>:stem@<rule>:reduce@<rule>:"
                    + "head@<rule>:|op~0@rule|+|...|, got '" + (t.length() > 70 ? t.substring(0, 67) + "..." : t) + "'");
        }
        Nb201Architecture.Builder b = Nb201Architecture.newBuilder().setChannels(Integer.parseInt(m.group(1)))
                .setCellsPerStage(Integer.parseInt(m.group(2)))
                .setStemRule(GenomeCodec.parseRule(m.group(3), "stem_rule"))
                .setReductionRule(GenomeCodec.parseRule(m.group(4), "reduction_rule"))
                .setClassifierRule(GenomeCodec.parseRule(m.group(5), "classifier_rule"));
        int i = 0;
        for (String part : m.group(6).split("\\|")) {
            if (part.isEmpty() || part.equals("+")) {
                continue;
            }
            String f = "edges[" + i + "]";
            Matcher e = EDGE.matcher(part);
            if (!e.matches()) {
                throw new InvalidGenomeException(f, "cannot read edge '" + part + "'; expected e.g. nor_conv_3x3~0@fa or skip_connect~1");
            }
            if (i < 6 && Integer.parseInt(e.group(2)) != Nb201Plan.FROM[i]) {
                throw new InvalidGenomeException(f, "edge " + i + " must come from node " + Nb201Plan.FROM[i] + ", got ~" + e.group(2));
            }
            Nb201Edge.Builder edge = Nb201Edge.newBuilder().setOp(parseOp(e.group(1), f + ".op"));
            if (e.group(3) != null) {
                edge.setRule(GenomeCodec.parseRule(e.group(3), f));
            }
            b.addEdges(edge);
            i++;
        }
        return b.build();
    }

    static void toJson(Nb201Architecture a, JsonObject o) {
        o.addProperty("space", Architecture.NB201.key());
        o.addProperty("channels", Nb201Plan.channels(a));
        o.addProperty("cells_per_stage", Nb201Plan.cells(a));
        o.addProperty("stem_rule", GenomeCodec.ruleText(a.getStemRule()));
        o.addProperty("reduction_rule", GenomeCodec.ruleText(a.getReductionRule()));
        o.addProperty("classifier_rule", GenomeCodec.ruleText(a.getClassifierRule()));
        JsonArray edges = new JsonArray();
        for (int i = 0; i < a.getEdgesCount(); i++) {
            Nb201Edge e = a.getEdges(i);
            JsonObject eo = new JsonObject();
            if (i < 6) {
                eo.addProperty("from", Nb201Plan.FROM[i]);
                eo.addProperty("to", Nb201Plan.TO[i]);
            }
            eo.addProperty("op", opName(e.getOp()));
            if (e.getRule() != LearningRule.LEARNING_RULE_UNSPECIFIED) {
                eo.addProperty("rule", GenomeCodec.ruleText(e.getRule()));
            }
            edges.add(eo);
        }
        o.add("edges", edges);
    }

    static Nb201Architecture fromJson(JsonObject o) {
        Nb201Architecture.Builder b = Nb201Architecture.newBuilder();
        if (o.has("channels")) {
            b.setChannels(o.get("channels").getAsInt());
        }
        if (o.has("cells_per_stage")) {
            b.setCellsPerStage(o.get("cells_per_stage").getAsInt());
        }
        if (o.has("stem_rule")) {
            b.setStemRule(GenomeCodec.parseRule(o.get("stem_rule").getAsString(), "stem_rule"));
        }
        if (o.has("reduction_rule")) {
            b.setReductionRule(GenomeCodec.parseRule(o.get("reduction_rule").getAsString(), "reduction_rule"));
        }
        if (o.has("classifier_rule")) {
            b.setClassifierRule(GenomeCodec.parseRule(o.get("classifier_rule").getAsString(), "classifier_rule"));
        }
        if (!o.has("edges") || !o.get("edges").isJsonArray()) {
            throw new InvalidGenomeException("edges", "missing; a cell has 6 edges");
        }
        int i = 0;
        for (JsonElement el : o.getAsJsonArray("edges")) {
            String f = "edges[" + i++ + "]";
            JsonObject eo = el.getAsJsonObject();
            Nb201Edge.Builder e = Nb201Edge.newBuilder().setOp(parseOp(eo.has("op") ? eo.get("op").getAsString() : "", f + ".op"));
            if (eo.has("rule") && !eo.get("rule").isJsonNull()) {
                e.setRule(GenomeCodec.parseRule(eo.get("rule").getAsString(), f));
            }
            b.addEdges(e);
        }
        return b.build();
    }
}
