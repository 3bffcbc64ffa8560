package dev.mixrule.cli;

import dev.mixrule.proto.Experiment;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", description = {
        "Every trial of an experiment (the genomes its sampler proposed, then those it reused) with its genome, status "
                + "(succeeded, early_stopped, failed, pending) and all its metrics: one CSV row or JSON line per trial.",
        "CSV: experiment_id, genome_id, dataset, status, reused, trained_by_experiment, canonical, rules, unreliable, "
                + "training_principal, proposed_at_ms, updated_at_ms, then every metric any trial has (sorted), then per "
                + "evaluator <name>:version, :protocol, :status, :examples, :principal, :failure_reason.",
        "JSONL: {experiment_id, genome_id, status, reused, entry} with the entry as `leaderboard get --json` shows it "
                + "(genome, metrics, evaluations with their metrics, learning curve), null while it has none."})
final class ExperimentExport extends TrialsCommand {
    @Option(names = "--format", defaultValue = "csv", description = "csv or jsonl") String format;
    @Option(names = {"-o", "--output"}, description = "write to this file (default: standard output)") Path output;

    @Override
    String problem() {
        return parsedFormat() == null ? "--format '" + format + "' is not one of csv, jsonl" : null;
    }

    private TrialExport.Format parsedFormat() {
        for (TrialExport.Format f : TrialExport.Format.values()) {
            if (f.name().equalsIgnoreCase(format)) {
                return f;
            }
        }
        return null;
    }

    @Override
    int run(ExperimentTrials trials, Experiment experiment) throws IOException {
        Map<Trial.Status, Integer> counts;
        if (output == null) {
            Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
            counts = TrialExport.write(trials, experiment, parsedFormat(), pageSize, out, System.err);
        } else {
            // written beside the target and moved over it at the end: a failed export leaves no half file behind
            Path full = output.toAbsolutePath();
            Files.createDirectories(full.getParent());
            Path part = Files.createTempFile(full.getParent(), full.getFileName().toString(), ".part");
            try {
                try (Writer out = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
                    counts = TrialExport.write(trials, experiment, parsedFormat(), pageSize, out, System.err);
                }
                Files.move(part, full, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(part);
            }
        }
        System.err.println(String.format(Locale.ROOT, "exported experiment %s%s, %s", id, output == null ? "" : " to " + output,
                TrialExport.summary(counts)));
        return 0;
    }
}
