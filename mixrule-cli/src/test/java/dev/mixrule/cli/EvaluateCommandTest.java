package dev.mixrule.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mixrule.cli.stack.StackEvaluation;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluateCommandTest {
    @TempDir
    static Path dir;
    static Path checkpoint;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        checkpoint = dir.resolve("tiny.ckpt");
        ComputeThread.call(() -> {
            var data = Datasets.load("synthetic");
            GenomePlan plan = GenomePlan.of(GenomeCodec.fromCanonical("chain:pad0|conv3x3-8-p1-relu@usf|maxpool2|dense-4@usf"),
                    Datasets.shape("synthetic"));
            try (TrainedModel m = GenomeTrainer.train(plan, data, new TrainingOptions(3, 64, 0.05, 0.9, 5e-4, 600, 0, 3),
                    TrainingListener.NONE).model(); OutputStream out = Files.newOutputStream(checkpoint)) {
                m.save(out);
            }
            return null;
        });
    }

    static JsonObject evaluate(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        System.setOut(new PrintStream(buf, true));
        try {
            rc = new CommandLine(new EvaluateCommand()).execute(args);
        } finally {
            System.setOut(old);
        }
        assertEquals(0, rc, buf.toString());
        return JsonParser.parseString(buf.toString()).getAsJsonObject();
    }

    @Test
    void standardProtocolPrintsWorstCaseAtMostEachAttackAtMostClean() {
        JsonObject o = evaluate("--checkpoint", checkpoint.toString(), "--protocol", "standard", "--examples", "40",
                "--evaluators", "robustness", "--epochs", "3", "--train-limit", "600", "--seed", "3", "--lr", "0.05", "--json");
        assertEquals("succeeded", o.get("status").getAsString());
        assertEquals("test", o.get("split").getAsString());
        double clean = o.get("clean_accuracy").getAsDouble();
        double worst = o.get("worst_case_accuracy").getAsDouble();
        JsonObject m = o.getAsJsonObject("metrics");
        for (String a : List.of("apgd", "apgd_t", "fab_t", "square", "transfer")) {
            double acc = m.get(a + "_accuracy").getAsDouble();
            assertTrue(worst <= acc && acc <= clean, a + ": " + m);
        }
        assertTrue(clean > 0.5, "the tiny model learned something: " + m);
        String protocol = o.getAsJsonArray("protocols").get(0).getAsString();
        assertTrue(protocol.contains("standard:test:40:") && protocol.contains("square:queries=5000,p_init=0.8")
                && protocol.contains("bp-twin(chain:pad0|conv3x3-8-p1-relu@bp|maxpool2|dense-4@bp"), protocol);
    }

    @Test
    void validSplitPrefixesEveryRobustnessMetric() {
        JsonObject o = evaluate("--checkpoint", checkpoint.toString(), "--protocol", "screening", "--split", "valid", "--examples", "30",
                "--evaluators", "robustness", "--transfer-source", checkpoint.toString(), "--json");
        JsonObject m = o.getAsJsonObject("metrics");
        assertTrue(m.keySet().stream().allMatch(k -> k.startsWith("valid_")), m.keySet().toString());
        assertTrue(m.has("valid_apgd_accuracy") && m.has("valid_worst_case_accuracy") && m.has("valid_clean_accuracy"), m.toString());
        assertTrue(o.has("valid_worst_case_accuracy") && o.get("clean_accuracy").getAsDouble() == m.get("valid_clean_accuracy").getAsDouble());
        assertTrue(o.getAsJsonArray("protocols").get(0).getAsString().contains("screening:valid:30:"), o.toString());
    }

    @Test
    void theLocalStacksDemoSettingsReproduceInProcessWithoutTrainingATwin() {
        // what StackEvaluation passes the evaluator-service: screening on a validation subset, no transfer attack
        JsonObject o = evaluate("--checkpoint", checkpoint.toString(), "--protocol", StackEvaluation.PROTOCOL, "--split",
                StackEvaluation.SPLIT, "--examples", "30", "--evaluators", "robustness", "--attacks",
                String.join(",", StackEvaluation.ROBUSTNESS_ATTACKS), "--json");
        JsonObject m = o.getAsJsonObject("metrics");
        assertTrue(m.has("valid_apgd_accuracy") && m.has("valid_square_accuracy") && !m.has("valid_transfer_accuracy"), m.toString());
        String protocol = o.getAsJsonArray("protocols").get(0).getAsString();
        assertTrue(protocol.contains("screening:valid:30:") && !protocol.contains("transfer") && !protocol.contains("bp-twin"), protocol);
    }
}
