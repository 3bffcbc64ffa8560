package dev.mixrule.cli;

import dev.mixrule.kernel.search.SelectionMetrics;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.TrainingMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the CLI ranks and fronts by when not told is a metric that may select: never one of the test split. */
class SelectionDefaultsCliTest {
    static String defaultOf(String command, String sub, String option) {
        CommandLine cl = new CommandLine(new Main()).getSubcommands().get(command).getSubcommands().get(sub);
        return cl.getCommandSpec().findOption(option).defaultValueString(); // the annotation's default, else the field's initial value
    }

    @Test
    void leaderboardTopStatsAndParetoDefaultToValidationMetrics() {
        assertEquals("valid_accuracy", defaultOf("leaderboard", "top", "--metric"));
        assertEquals("valid_accuracy", defaultOf("leaderboard", "stats", "--metric"));
        String pareto = defaultOf("leaderboard", "pareto", "--metrics");
        for (String part : pareto.split(",")) {
            String metric = part.strip().replaceFirst("^[+-]", "");
            assertTrue(SelectionMetrics.selectable(metric), "pareto default " + pareto + ": " + metric);
        }
        assertTrue(pareto.contains("valid_apgd_accuracy"), pareto);
    }

    @Test
    void theTableRanksByItsMetricAndKeepsTestAccuracyAsAReportColumn() {
        LeaderboardEntry e = LeaderboardEntry.newBuilder().setRank(1).setGenomeId("0123456789abcdef")
                .putMetrics("valid_accuracy", 0.71).putMetrics("test_accuracy", 0.69).build();
        String[] lines = Output.table(List.of(e), SelectionMetrics.VALID_ACCURACY).split("\n");
        assertTrue(lines[0].matches("\\s*rank\\s+genome_id\\s+valid_acc\\s+test_acc\\s+bp_frac.*"), lines[0]);
        assertTrue(lines[1].contains("0.7100") && lines[1].indexOf("0.7100") < lines[1].indexOf("0.6900"), lines[1]);
    }

    @Test
    void theDemosTableShowsRobustAccuracyOnTheValidationSubsetBesideCleanAndSaysWhatEachColumnMeasured() {
        LeaderboardEntry e = LeaderboardEntry.newBuilder().setRank(1).setGenomeId("0123456789abcdef")
                .setTraining(TrainingMetrics.newBuilder().setValidAccuracy(0.71).setValidExamples(5000))
                .addEvaluations(EvaluationResult.newBuilder().setEvaluator(EvaluatorId.newBuilder().setName("accuracy"))
                        .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).setExamples(10000))
                .addEvaluations(EvaluationResult.newBuilder().setEvaluator(EvaluatorId.newBuilder().setName("robustness"))
                        .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).setExamples(200)
                        .setProtocol("screening:valid:200:linf:eps=0.1000:fgsm;pgd;apgd;square"))
                .putMetrics("valid_accuracy", 0.71).putMetrics("valid_apgd_accuracy", 0.12).putMetrics("test_accuracy", 0.69).build();
        String[] lines = Output.table(List.of(e), SelectionMetrics.VALID_ACCURACY).split("\n");
        assertTrue(lines[0].matches("\\s*rank\\s+genome_id\\s+valid_acc\\s+valid_apgd_acc\\s+test_acc\\s+bp_frac.*"), lines[0]);
        assertTrue(lines[1].indexOf("0.7100") < lines[1].indexOf("0.1200") && lines[1].indexOf("0.1200") < lines[1].indexOf("0.6900"),
                lines[1]);
        String notes = Output.columnNotes(List.of(e));
        assertTrue(notes.contains("valid_acc: clean accuracy on 5000 validation images"), notes);
        assertTrue(notes.contains("valid_apgd_acc: APGD-CE accuracy on 200 validation images, robustness protocol screening:valid:200:"),
                notes);
        assertTrue(notes.contains("test_acc: clean accuracy on 10000 test images (a report"), notes);
    }

    @Test
    void experimentCreateRefusesATestSplitObjectiveNamingTheValidationMetricWithoutAStack() {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setErr(new java.io.PrintWriter(err));
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(buf, true));
        int rc;
        try {
            rc = cl.execute("experiment", "create", "--objective", "test_accuracy");
        } finally {
            System.setErr(old);
        }
        String said = buf + err.toString();
        assertEquals(2, rc, said);
        assertTrue(said.contains("'test_accuracy' is measured on the test split") && said.contains("use 'valid_accuracy'"), said);
    }
}
