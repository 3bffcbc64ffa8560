package dev.mixrule.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mixrule.cli.stack.StackConfig;
import dev.mixrule.kernel.data.FashionMnist;
import dev.mixrule.kernel.device.DeviceSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * PyTorch eager on the same network and recipe (every layer bp), one process: bench/pytorch_reference.py, where a
 * python3 that can import torch is present. The answer says why when it was not measured.
 */
final class PytorchReference {
    private PytorchReference() {}

    static JsonObject run(DeviceSpec device, TrainBench.Network network, String dataset, int trainLimit, int epochs) {
        Path script = StackConfig.findRepoRoot().resolve("bench/pytorch_reference.py");
        if (!dataset.equals(FashionMnist.NAME)) {
            return skipped("the reference script reads Fashion-MNIST only");
        }
        if (!Files.isRegularFile(script)) {
            return skipped("no " + script);
        }
        try {
            if (exec(List.of("python3", "-c", "import torch"), 120) == null) {
                return skipped("python3 cannot import torch (Debian: apt-get install python3-torch; CUDA: a CUDA build of torch)");
            }
            String out = exec(List.of("python3", script.toString(), "--device", device.toString(), "--network",
                    network.name(), "--train-limit", Integer.toString(trainLimit), "--epochs", Integer.toString(epochs),
                    "--threads", Integer.toString(Integer.getInteger("ai.djl.pytorch.num_threads", 2))), 3600);
            return out == null ? skipped("bench/pytorch_reference.py failed") : JsonParser.parseString(out).getAsJsonObject();
        } catch (IOException e) {
            return skipped("python3 cannot be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return skipped("interrupted");
        }
    }

    /** The command's stdout, or null when it failed or ran out of time; stderr goes to ours. */
    private static String exec(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return null;
        }
        return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
    }

    private static JsonObject skipped(String why) {
        JsonObject o = new JsonObject();
        o.addProperty("not_measured", why);
        return o;
    }

    /** One line for the text report (empty when it was not asked for). */
    static String text(JsonObject o) {
        if (o == null) {
            return "";
        }
        if (o.has("not_measured")) {
            return "PyTorch eager: not measured (" + o.get("not_measured").getAsString() + ")\n";
        }
        return String.format(Locale.ROOT, "PyTorch eager (torch %s, bp, one process on %s): %.0f images/s (last epoch %.0f)%n",
                o.get("torch").getAsString(), o.get("device").getAsString(), o.get("train_images_per_second").getAsDouble(),
                o.get(TrainBench.LAST_EPOCH_IMAGES_PER_SECOND).getAsDouble());
    }
}
