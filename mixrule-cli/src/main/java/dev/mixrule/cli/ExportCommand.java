package dev.mixrule.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.mixrule.cli.stack.StackConfig;
import dev.mixrule.kernel.checkpoint.CheckpointRefusedException;
import dev.mixrule.kernel.checkpoint.FileCheckpointStore;
import dev.mixrule.proto.GetEntryRequest;
import dev.mixrule.proto.LeaderboardEntry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** One entry as a RobustBench-style JSON record, and optionally its weights. */
@Command(name = "export", description = "An entry as a RobustBench-style JSON record (clean_acc, attack accuracies, eps, "
        + "threat_model, architecture, genome, rules, evaluator versions); --weights copies its checkpoint.")
final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "genome id (16 hex digits)") String id;
    @Option(names = "--dataset", defaultValue = "fashion-mnist") String dataset;
    @Option(names = "--out", description = "write the record to this file (default: standard output)") Path out;
    @Option(names = "--weights", description = "copy the checkpoint into this directory") Path weights;
    @Option(names = "--checkpoint-dir", description = "the trainers' checkpoint store (mixrule.checkpoint.dir); only files "
            + "inside it are read (default: the local stack's, .run/checkpoints or $MIXRULE_RUN_DIR/checkpoints)") Path checkpointDir;

    @Override
    public Integer call() {
        return LeaderboardCommand.withLeaderboard(stub -> {
            LeaderboardEntry e = stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getEntry(GetEntryRequest.newBuilder().setGenomeId(id).setDataset(dataset).build());
            JsonObject record = RobustBenchRecord.of(e);
            if (weights != null) {
                try {
                    Path store = checkpointDir != null ? checkpointDir
                            : StackConfig.defaults(StackConfig.findRepoRoot()).checkpoints();
                    Path copied = copyCheckpoint(e, store, weights);
                    record.addProperty("weights", copied.toString());
                    System.err.println("weights: " + copied);
                } catch (CheckpointException ex) {
                    System.err.println("error: " + ex.getMessage());
                    return 1;
                }
            }
            // RobustBench records say null for what was not measured (autoattack_acc), so nulls are written
            String text = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls()
                    .create().toJson(record);
            if (out == null) {
                System.out.println(text);
            } else {
                LeaderboardCommand.write(out, text + "\n");
                System.err.println("record: " + out);
            }
            return 0;
        });
    }

    static final class CheckpointException extends Exception {
        CheckpointException(String message) {
            super(message);
        }
    }

    /**
     * Copies the entry's checkpoint to dir/&lt;genome_id&gt;-&lt;dataset&gt;.ckpt: read through the store at {@code storeRoot},
     * so a URI outside it is refused unread and bytes that do not match the entry's checkpoint_sha256 are not copied.
     */
    static Path copyCheckpoint(LeaderboardEntry e, Path storeRoot, Path dir) throws CheckpointException {
        if (e.getCheckpointUri().isEmpty()) {
            throw new CheckpointException("entry " + e.getGenomeId() + " has no checkpoint_uri (no training result yet); "
                    + "wait until it has trained");
        }
        URI uri;
        try {
            uri = URI.create(e.getCheckpointUri());
        } catch (IllegalArgumentException ex) {
            throw new CheckpointException("checkpoint_uri '" + e.getCheckpointUri() + "' is not a URI");
        }
        Path target = dir.resolve(e.getGenomeId() + "-" + e.getDataset() + ".ckpt");
        try {
            byte[] bytes = new FileCheckpointStore(storeRoot).read(uri, e.getCheckpointSha256());
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, e.getGenomeId(), ".tmp");
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (CheckpointRefusedException ex) {
            throw new CheckpointException(ex.getMessage() + "; --checkpoint-dir names the trainers' store");
        } catch (IOException ex) {
            String why = String.valueOf(ex.getMessage());
            throw new CheckpointException((why.contains(uri.toString()) ? why : "checkpoint " + uri + " is not reachable from here: " + why)
                    + "; run export where the trainers' checkpoint directory (mixrule.checkpoint.dir) is mounted, or without --weights");
        }
    }
}
