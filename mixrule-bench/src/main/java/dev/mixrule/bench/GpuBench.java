package dev.mixrule.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mixrule.cli.DatasetCheck;
import dev.mixrule.cli.Output;
import dev.mixrule.kernel.data.FashionMnist;
import dev.mixrule.kernel.device.DeviceSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `bench gpu`: several trainer-like worker processes packed on one device, as the GPU trainers are (one JVM trains
 * one candidate at a time: DJL has one gradient collector per JVM). Counts images, per worker and in all.
 */
@Command(name = "gpu", description = "Start --workers JVMs at once, each running `bench train` on --device, and print"
        + " images/s per worker and in all (the sum), the GPU's utilisation and memory where nvidia-smi runs, and"
        + " PyTorch eager's images/s for the same network and recipe (bp) where python3 can import torch"
        + " (bench/pytorch_reference.py). Works on the CPU too (--device cpu). Under CUDA MPS packed workers add up;"
        + " without it they take turns (docs/gpu.md).")
final class GpuBench implements Callable<Integer> {
    @Option(names = "--workers", defaultValue = "1", description = "worker processes on the device") int workers;
    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu(N)") String device;
    @Option(names = "--network", defaultValue = "reference", description = "reference or nb201") TrainBench.Network network;
    @Option(names = "--rule", description = "as bench train: default bp for reference, mixed for nb201") String rule;
    @Option(names = "--train-limit", defaultValue = "20000", description = "images per epoch per worker") int trainLimit;
    @Option(names = "--epochs", defaultValue = "1", description = "the last epoch's rate is the steady one") int epochs;
    @Option(names = "--dataset", defaultValue = FashionMnist.NAME, description = "fashion-mnist or synthetic") String dataset;
    @Option(names = "--no-pytorch", description = "skip the PyTorch eager run") boolean noPytorch;
    @Option(names = "--json") boolean json;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DeviceSpec d = DeviceSpec.parse("--device", device);
        if (workers < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--workers: must be >= 1, got " + workers);
        }
        if (dataset.equals(FashionMnist.NAME)) {
            DatasetCheck.ensureFashionMnist(System.err);
        }
        System.err.printf(Locale.ROOT, "%d worker(s) training %s on %s, %d images x %d epoch(s) each ...%n", workers,
                network, d, trainLimit, epochs);
        JsonArray results = new JsonArray();
        List<GpuMonitor.Gpu> gpus;
        GpuMonitor monitor = GpuMonitor.start();
        try {
            for (JsonObject r : runWorkers()) {
                results.add(r);
            }
        } finally {
            gpus = monitor == null ? List.of() : monitor.summary();
            if (monitor != null) {
                monitor.close();
            }
        }
        JsonObject out = summary(d, results, gpus, noPytorch ? null : PytorchReference.run(d, network, dataset, trainLimit, epochs));
        System.out.println(json ? Output.json(out) : text(out));
        return 0;
    }

    /** Starts every worker, then waits for all; each prints its `bench train --json` object. */
    private List<JsonObject> runWorkers() throws IOException, InterruptedException {
        List<Process> started = new ArrayList<>();
        List<Path> errors = new ArrayList<>();
        try {
            for (int i = 0; i < workers; i++) {
                Path err = Files.createTempFile("mixrule-bench-gpu-worker", ".log");
                errors.add(err);
                started.add(new ProcessBuilder(workerCommand()).redirectError(err.toFile()).start());
            }
            List<JsonObject> out = new ArrayList<>();
            for (int i = 0; i < started.size(); i++) {
                String stdout = new String(started.get(i).getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (started.get(i).waitFor() != 0) {
                    throw new IllegalStateException("worker " + (i + 1) + " failed: " + tail(errors.get(i)));
                }
                out.add(JsonParser.parseString(stdout).getAsJsonObject());
            }
            return out;
        } finally {
            started.forEach(Process::destroy);
            for (Path p : errors) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** This JVM's java, its DJL and logging settings and class path, running `bench train --json`. */
    List<String> workerCommand() {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        for (String p : List.of("ai.djl.offline", "ai.djl.pytorch.num_threads", "org.slf4j.simpleLogger.defaultLogLevel")) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchMain.class.getName(), "train", "--json",
                "--device", device, "--network", network.name(), "--train-limit", Integer.toString(trainLimit),
                "--epochs", Integer.toString(epochs), "--dataset", dataset));
        if (rule != null) {
            cmd.addAll(List.of("--rule", rule));
        }
        return cmd;
    }

    private static String tail(Path log) throws IOException {
        String s = Files.readString(log);
        return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    }

    /** Per worker and in all (sums: the workers ran at the same time), the GPUs, PyTorch eager. */
    static JsonObject summary(DeviceSpec d, JsonArray workers, List<GpuMonitor.Gpu> gpus, JsonObject pytorch) {
        double all = 0;
        double allLast = 0;
        for (var w : workers) {
            all += w.getAsJsonObject().get("train_images_per_second").getAsDouble();
            allLast += w.getAsJsonObject().get(TrainBench.LAST_EPOCH_IMAGES_PER_SECOND).getAsDouble();
        }
        JsonObject o = new JsonObject();
        o.addProperty("device", d.toString());
        o.addProperty("workers", workers.size());
        o.addProperty("train_images_per_second", all);
        o.addProperty(TrainBench.LAST_EPOCH_IMAGES_PER_SECOND, allLast);
        o.add("per_worker", workers);
        JsonArray g = new JsonArray();
        for (GpuMonitor.Gpu gpu : gpus) {
            JsonObject j = new JsonObject();
            j.addProperty("index", gpu.index());
            j.addProperty("mean_utilization_percent", gpu.meanUtilizationPercent());
            j.addProperty("peak_memory_used_mib", gpu.peakMemoryUsedMib());
            j.addProperty("memory_total_mib", gpu.memoryTotalMib());
            j.addProperty("samples", gpu.samples());
            g.add(j);
        }
        o.add("gpus", g);
        if (pytorch != null) {
            o.add("pytorch_eager", pytorch);
        }
        return o;
    }

    static String text(JsonObject o) {
        StringBuilder b = new StringBuilder();
        JsonArray ws = o.getAsJsonArray("per_worker");
        for (int i = 0; i < ws.size(); i++) {
            JsonObject w = ws.get(i).getAsJsonObject();
            b.append(String.format(Locale.ROOT, "worker %d on %s: %.0f images/s (last epoch %.0f), %s %s%n", i + 1,
                    w.get("device").getAsString(), w.get("train_images_per_second").getAsDouble(),
                    w.get(TrainBench.LAST_EPOCH_IMAGES_PER_SECOND).getAsDouble(), w.get("network").getAsString(),
                    w.get("rule").getAsString()));
        }
        b.append(String.format(Locale.ROOT, "all %d worker(s): %.0f images/s (last epochs %.0f)%n", ws.size(),
                o.get("train_images_per_second").getAsDouble(), o.get(TrainBench.LAST_EPOCH_IMAGES_PER_SECOND).getAsDouble()));
        for (var g : o.getAsJsonArray("gpus")) {
            JsonObject j = g.getAsJsonObject();
            b.append(String.format(Locale.ROOT, "GPU %d: utilisation %.0f%% (mean of %d samples; not a measure of work),"
                    + " memory %d of %d MiB at peak%n", j.get("index").getAsInt(), j.get("mean_utilization_percent").getAsDouble(),
                    j.get("samples").getAsInt(), j.get("peak_memory_used_mib").getAsLong(), j.get("memory_total_mib").getAsLong()));
        }
        if (o.getAsJsonArray("gpus").isEmpty()) {
            b.append("GPU: no nvidia-smi here\n");
        }
        b.append(PytorchReference.text(o.getAsJsonObject("pytorch_eager")));
        return b.toString();
    }
}
