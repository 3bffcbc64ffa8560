package dev.mixrule.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mixrule.kernel.genome.GenomeCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `bench gpu` and `bench train --device` on the CPU: the same code paths a GPU machine runs, with device cpu. */
class GpuBenchTest {
    /** Runs a bench command in this JVM; returns exit code, stdout, stderr. */
    private static String[] run(String... args) {
        CommandLine cl = BenchMain.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int exit = cl.execute(args);
            return new String[] {String.valueOf(exit), out.toString(StandardCharsets.UTF_8), err.toString()};
        } finally {
            System.setOut(stdout);
        }
    }

    @Test
    void twoPackedWorkersReportTheirDeviceAndImagesPerSecondAndTheSum() {
        String[] a = run("gpu", "--workers", "2", "--device", "cpu", "--dataset", "synthetic", "--train-limit", "256",
                "--epochs", "2", "--no-pytorch", "--json");
        assertEquals("0", a[0], a[2]);
        JsonObject o = JsonParser.parseString(a[1]).getAsJsonObject();
        assertEquals("cpu", o.get("device").getAsString());
        assertEquals(2, o.get("workers").getAsInt());
        double sum = 0;
        for (var w : o.getAsJsonArray("per_worker")) {
            JsonObject j = w.getAsJsonObject();
            assertEquals("cpu", j.get("device").getAsString());
            assertEquals(256, j.get("train_examples").getAsInt());
            assertEquals(2, j.get("epochs").getAsInt());
            assertTrue(j.get(TrainBench.LAST_EPOCH_IMAGES_PER_SECOND).getAsDouble() > 0, j.toString());
            sum += j.get("train_images_per_second").getAsDouble();
        }
        assertEquals(sum, o.get("train_images_per_second").getAsDouble(), 1e-6);
        assertTrue(sum > 0);
        String text = GpuBench.text(o);
        assertTrue(text.contains("worker 2 on cpu:") && text.contains("all 2 worker(s):"), text);
    }

    @Test
    void trainTakesTheDeviceAndTheNb201Cell() {
        String[] a = run("train", "--device", "cpu", "--network", "nb201", "--rule", "bp", "--dataset", "synthetic",
                "--train-limit", "64", "--json");
        assertEquals("0", a[0], a[2]);
        JsonObject o = JsonParser.parseString(a[1]).getAsJsonObject();
        assertEquals("cpu", o.get("device").getAsString());
        assertEquals(64, o.get("batch").getAsInt());
        assertTrue(o.get("genome").getAsString().startsWith("nb201:C16:N5:stem@bp:reduce@bp:head@bp:"), o.toString());
    }

    @Test
    void aBadDeviceOrWorkerCountIsRefusedNamingTheOption() {
        String[] device = run("gpu", "--device", "tpu(0)", "--no-pytorch");
        assertTrue(!device[0].equals("0") && device[2].contains("--device: 'tpu(0)' is not a device"), device[2]);
        String[] workers = run("gpu", "--workers", "0", "--device", "cpu", "--dataset", "synthetic");
        assertTrue(!workers[0].equals("0") && workers[2].contains("--workers: must be >= 1"), workers[2]);
    }

    @Test
    void theNb201CellIsTheExampleGenome() throws Exception {
        String json = Files.readString(Path.of("../examples/genomes/nb201-cell.json"));
        assertEquals(GenomeCodec.toCanonical(GenomeCodec.parse(json)), TrainBench.NB201_CELL);
    }

    @Test
    void nvidiaSmiSamplesBecomeMeanUtilisationAndPeakMemory() {
        GpuMonitor m = GpuMonitor.fed();
        for (String line : List.of("0, 20, 1000, 143771", "1, 90, 50, 143771", "0, 40, 3000, 143771", "0, [N/A], 10, 143771")) {
            m.add(line);
        }
        assertEquals(List.of(new GpuMonitor.Gpu(0, 30.0, 3000, 143771, 2), new GpuMonitor.Gpu(1, 90.0, 50, 143771, 1)),
                m.summary());
    }
}
