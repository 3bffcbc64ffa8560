package dev.mixrule.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.core.evaluation.Evaluators;
import dev.mixrule.core.rules.LearningRules;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.kernel.metrics.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md lists the files that adding a rule, a metric and a built-in evaluator touches. The
 * lists are true when every file named exists and every rule, metric and evaluator that exists today was
 * added through exactly those files: each one appears in each file of its list.
 */
class ExtensionPointsTest {
    static final Path ROOT = SourceSizeTest.root();

    @Test
    void everyRuleAppearsInEachFileOfItsList() throws IOException {
        List<Path> files = listed("rule");
        assertEquals(6, files.size(), "docs/architecture.md's rule list: " + files);
        String proto = read("proto/mixrule/v1/mixrule.proto");
        String ruleEnum = read("mixrule-kernel/src/main/java/dev/mixrule/kernel/genome/Rule.java");
        String registry = read("mixrule-core/src/main/java/dev/mixrule/core/rules/LearningRules.java");
        String doc = read("docs/learning-rules.md");
        String page = read("leaderboard-service/src/main/resources/META-INF/resources/app.js");
        for (Rule r : Rule.values()) {
            String cls = LearningRules.get(r).getClass().getSimpleName();
            assertTrue(proto.contains("LEARNING_RULE_" + r.name() + " = "), r + ": no LearningRule value in the proto");
            assertTrue(ruleEnum.contains(r.name() + "(\"" + r.shortName() + "\""), r + ": no constant in Rule");
            assertTrue(Files.exists(ROOT.resolve("mixrule-core/src/main/java/dev/mixrule/core/rules/" + cls + ".java")),
                    r + ": its class " + cls + " is not in core/rules");
            assertTrue(registry.contains("new " + cls + "()"), r + ": not registered in LearningRules");
            assertTrue(doc.contains("`" + r.shortName() + "`"), r + ": not described in docs/learning-rules.md");
            assertTrue(page.contains("name: '" + r.shortName() + "'"), r + ": no colour in app.js");
        }
    }

    @Test
    void everyMetricAppearsInEachFileOfItsList() throws IOException {
        List<Path> files = listed("metric");
        assertTrue(files.size() >= 4, "docs/architecture.md's metric list: " + files);
        String metricEnum = read("mixrule-kernel/src/main/java/dev/mixrule/kernel/metrics/Metric.java");
        String fromTraining = read("mixrule-kernel/src/main/java/dev/mixrule/kernel/metrics/TrainingResultMetrics.java");
        String doc = read("docs/evaluators.md");
        for (Metric m : Metric.values()) {
            assertTrue(metricEnum.contains("    " + m.name() + "("), m + ": not declared in Metric");
            boolean training = m.source() == Metric.Source.GENOME_AND_COST || m == Metric.VALID_ACCURACY;
            if (training) {
                assertTrue(fromTraining.contains("Metric." + m.name() + ".key()"), m + ": not produced by TrainingResultMetrics");
            }
            String bare = m.key().startsWith("valid_") && !training ? m.key().substring("valid_".length()) : m.key();
            assertTrue(doc.contains("`" + m.key() + "`") || doc.contains("`" + bare + "`"),
                    m + ": not documented in docs/evaluators.md");
        }
    }

    @Test
    void everyBuiltInEvaluatorAppearsInEachFileOfItsList() throws IOException {
        List<Path> files = listed("evaluator");
        assertEquals(3, files.size(), "docs/architecture.md's evaluator list: " + files);
        String doc = read("docs/evaluators.md");
        for (String name : Evaluators.names()) {
            Class<?> c = Evaluators.get(name).getClass();
            Class<?> top = c.getEnclosingClass() == null ? c : c.getEnclosingClass();
            assertTrue(Files.exists(ROOT.resolve("mixrule-core/src/main/java/dev/mixrule/core/evaluation/" + top.getSimpleName() + ".java")),
                    name + ": its class is not in core/evaluation");
            assertEquals(name, Evaluators.get(name).name());
            assertTrue(doc.contains("| `" + name + "` |"), name + ": no row in docs/evaluators.md");
        }
    }

    /** The paths named (in backticks) in the "files: kind" block of docs/architecture.md; each must exist. */
    static List<Path> listed(String kind) throws IOException {
        String doc = read("docs/architecture.md");
        Matcher block = Pattern.compile("<!-- files: " + kind + " -->(.*?)<!-- end -->", Pattern.DOTALL).matcher(doc);
        assertTrue(block.find(), "docs/architecture.md has no '<!-- files: " + kind + " -->' list");
        List<Path> out = new ArrayList<>();
        Matcher path = Pattern.compile("`([\\w./-]+/[\\w./-]+)`").matcher(block.group(1));
        while (path.find()) {
            Path p = ROOT.resolve(path.group(1));
            assertTrue(Files.exists(p), "docs/architecture.md names " + path.group(1) + ", which does not exist");
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    static String read(String relative) throws IOException {
        return Files.readString(ROOT.resolve(relative));
    }
}
