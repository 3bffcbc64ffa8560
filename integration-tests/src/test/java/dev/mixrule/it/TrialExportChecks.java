package dev.mixrule.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mixrule.cli.ExperimentTrials;
import dev.mixrule.cli.TrialExport;
import dev.mixrule.cli.TrialTable;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.Experiment;
import dev.mixrule.proto.GetEntryRequest;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.LeaderboardGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * `experiment export` against the running stack: a finished experiment's trials, named by the real sampler and read
 * from the real leaderboard a page at a time, come out as CSV rows and JSON lines holding the entries' values and the
 * learning curves the trainer recorded.
 */
final class TrialExportChecks {
    private TrialExportChecks() {}

    /** The experiment (finished, trained and evaluated) exported both ways, in pages of two. */
    static void exportMatchesTheLeaderboard(ManagedChannel sampler, ManagedChannel board, String experimentId) throws Exception {
        ExperimentTrials trials = new ExperimentTrials(sampler, board);
        Experiment e = trials.experiment(experimentId);
        List<String> ids = e.getGenomeIdsList();
        LeaderboardGrpc.LeaderboardBlockingStub stub = LeaderboardGrpc.newBlockingStub(board);
        List<LeaderboardEntry> entries = ids.stream().map(id -> stub.getEntry(GetEntryRequest.newBuilder()
                .setDataset(e.getSpec().getDataset()).setGenomeId(id).build())).toList();

        StringWriter csv = new StringWriter();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        var counts = TrialExport.write(trials, e, TrialExport.Format.CSV, 2, csv, new PrintStream(progress, true, StandardCharsets.UTF_8));
        assertEquals(ids.size() + " trials: " + ids.size() + " succeeded", TrialExport.summary(counts));
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains(ids.size() + "/" + ids.size() + " trials read"), progress.toString());
        System.out.println("experiment export " + experimentId + " --format csv:\n" + csv);
        List<List<String>> lines = parseCsv(csv.toString());
        assertEquals(ids.size() + 1, lines.size(), "a header and a row per trial:\n" + csv);
        List<String> header = lines.get(0);
        assertTrue(header.containsAll(List.of("genome_id", "status", "valid_accuracy", "test_accuracy", "epochs_completed",
                "accuracy:version", "accuracy:principal")), header.toString());
        for (int i = 0; i < ids.size(); i++) {
            List<String> row = lines.get(i + 1);
            assertEquals(header.size(), row.size(), row.toString());
            LeaderboardEntry en = entries.get(i);
            assertEquals(ids.get(i), row.get(header.indexOf("genome_id")), "the sampler's proposal order");
            assertEquals("succeeded", row.get(header.indexOf("status")));
            assertEquals(experimentId, row.get(header.indexOf("experiment_id")));
            assertEquals(en.getCanonical(), row.get(header.indexOf("canonical")));
            for (String metric : List.of("test_accuracy", "valid_accuracy", "parameters")) {
                assertEquals(TrialTable.number(en.getMetricsOrThrow(metric)), row.get(header.indexOf(metric)), metric + " of " + ids.get(i));
            }
            assertEquals(accuracy(en).getProducerPrincipal(), row.get(header.indexOf("accuracy:principal")));
        }

        StringWriter jsonl = new StringWriter();
        TrialExport.write(trials, e, TrialExport.Format.JSONL, 2, jsonl, null);
        List<String> objects = jsonl.toString().lines().toList();
        assertEquals(ids.size(), objects.size(), jsonl.toString());
        for (int i = 0; i < ids.size(); i++) {
            JsonObject o = JsonParser.parseString(objects.get(i)).getAsJsonObject();
            JsonObject entry = o.getAsJsonObject("entry");
            assertEquals(ids.get(i), entry.get("genome_id").getAsString());
            JsonArray curve = entry.getAsJsonArray("epochs");
            int epochs = entries.get(i).getTraining().getEpochsCompleted();
            assertTrue(epochs > 0 && epochs == curve.size(), "the trainer stored one point per completed epoch: " + curve);
            assertEquals(entries.get(i).getTraining().getValidAccuracy(),
                    curve.get(epochs - 1).getAsJsonObject().get("valid_accuracy").getAsDouble(), 0.0, "the curve ends at the reported value");
            JsonObject accuracy = null;
            for (var ev : entry.getAsJsonArray("evaluations")) {
                accuracy = ev.getAsJsonObject().get("evaluator").getAsString().equals("accuracy") ? ev.getAsJsonObject() : accuracy;
            }
            assertEquals(entries.get(i).getMetricsOrThrow("test_accuracy"), accuracy.getAsJsonObject("metrics").get("test_accuracy").getAsDouble(),
                    0.0, "each evaluation carries the metrics it measured");
        }

        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> trials.experiment("no-such-experiment"));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
        assertTrue(unknown.getStatus().getDescription().contains("experiment list"), unknown.getStatus().getDescription());
    }

    private static EvaluationResult accuracy(LeaderboardEntry e) {
        return e.getEvaluationsList().stream().filter(ev -> ev.getEvaluator().getName().equals("accuracy")).findFirst().orElseThrow();
    }

    /** RFC 4180 records: fields split on commas outside quotes, "" inside quotes a quote, records on line breaks outside quotes. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',' || c == '\n') {
                record.add(field.toString());
                field.setLength(0);
                if (c == '\n') {
                    records.add(record);
                    record = new ArrayList<>();
                }
            } else {
                field.append(c);
            }
        }
        return records;
    }
}
