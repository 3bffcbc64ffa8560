package dev.mixrule.cli;

import dev.mixrule.proto.Experiment;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes every trial of an experiment as CSV or JSON lines, a page at a time. JSON lines go out as they arrive; CSV
 * needs its header (the union of every row's columns) first, so its rows wait in a temporary file, one line each,
 * until the last page is read: memory holds one page whatever the experiment's size.
 */
public final class TrialExport {
    public enum Format { CSV, JSONL }

    private TrialExport() {}

    /** Writes the trials and returns how many there were of each status; progress (or null) hears of long exports. */
    public static Map<Trial.Status, Integer> write(ExperimentTrials trials, Experiment e, Format format, int pageSize, Writer out,
                                                   PrintStream progress) throws IOException {
        String id = e.getSpec().getExperimentId();
        Map<Trial.Status, Integer> counts = new EnumMap<>(Trial.Status.class);
        Progress p = new Progress(progress, ExperimentTrials.count(e), pageSize);
        if (format == Format.JSONL) {
            each(trials, e, pageSize, p, counts, t -> out.write(TrialTable.jsonLine(id, t) + "\n"));
            out.flush();
            return counts;
        }
        TrialTable header = new TrialTable();
        Path spool = Files.createTempFile("mixrule-export-", ".rows");
        try {
            try (BufferedWriter rows = Files.newBufferedWriter(spool, StandardCharsets.UTF_8)) {
                each(trials, e, pageSize, p, counts, t -> {
                    header.add(t);
                    rows.write(TrialTable.spool(TrialTable.cells(id, t)));
                    rows.newLine();
                });
            }
            List<String> columns = header.columns();
            out.write(String.join(",", columns.stream().map(TrialTable::csv).toList()) + "\n");
            try (BufferedReader rows = Files.newBufferedReader(spool, StandardCharsets.UTF_8)) {
                for (String line = rows.readLine(); line != null; line = rows.readLine()) {
                    out.write(TrialTable.csvLine(columns, TrialTable.unspool(line)));
                    out.write("\n");
                }
            }
            out.flush();
            return counts;
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private interface RowWriter {
        void write(Trial t) throws IOException;
    }

    private static void each(ExperimentTrials trials, Experiment e, int pageSize, Progress p, Map<Trial.Status, Integer> counts,
                             RowWriter row) {
        trials.forEachPage(e, pageSize, page -> {
            try {
                for (Trial t : page) {
                    row.write(t);
                    counts.merge(t.status(), 1, Integer::sum);
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            p.advance(page.size());
        });
    }

    /** "n/total trials read" on stderr, at most every two seconds, for exports of more than one page. */
    private static final class Progress {
        private final PrintStream to;
        private final int total;
        private int done;
        private long lastNanos = System.nanoTime();

        Progress(PrintStream to, int total, int pageSize) {
            this.to = total > pageSize ? to : null;
            this.total = total;
        }

        void advance(int n) {
            done += n;
            long now = System.nanoTime();
            if (to != null && (done == total || now - lastNanos > 2_000_000_000L)) {
                lastNanos = now;
                to.printf(Locale.ROOT, "%d/%d trials read (%.0f%%)%n", done, total, 100.0 * done / total);
            }
        }
    }

    /** "12 trials: 9 succeeded, 1 early_stopped, 1 failed, 1 pending" (statuses with none left out). */
    public static String summary(Map<Trial.Status, Integer> counts) {
        int all = counts.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder sb = new StringBuilder(all + " trial" + (all == 1 ? "" : "s"));
        String sep = ": ";
        for (Trial.Status s : Trial.Status.values()) {
            if (counts.getOrDefault(s, 0) > 0) {
                sb.append(sep).append(counts.get(s)).append(' ').append(s.label());
                sep = ", ";
            }
        }
        return sb.toString();
    }
}
