package dev.mixrule.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * GPU utilisation and memory sampled once a second by {@code nvidia-smi} while a benchmark runs; nothing where
 * nvidia-smi is missing. Utilisation is what the driver reports (a kernel was running during the sample), not work
 * done: issue 14 saw 98-100% while throughput fell, so benchmarks count images and print this beside them.
 */
final class GpuMonitor implements AutoCloseable {
    /** One GPU's samples: mean utilisation in percent, peak memory used and total in MiB. */
    record Gpu(int index, double meanUtilizationPercent, long peakMemoryUsedMib, long memoryTotalMib, int samples) {}

    private final Process smi;
    private final Thread reader;
    private final Map<Integer, long[]> sums = new TreeMap<>(); // index -> {utilisation sum, samples, peak used, total}

    private GpuMonitor(Process smi) {
        this.smi = smi;
        this.reader = new Thread(this::read, "nvidia-smi-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts sampling, or returns null when nvidia-smi cannot be run here. */
    static GpuMonitor start() {
        try {
            return new GpuMonitor(new ProcessBuilder("nvidia-smi", "--query-gpu=index,utilization.gpu,memory.used,memory.total",
                    "--format=csv,noheader,nounits", "-l", "1").redirectError(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            return null;
        }
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(smi.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                add(line);
            }
        } catch (IOException e) {
            // the process was stopped
        }
    }

    /** One CSV line: index, utilisation %, memory used MiB, memory total MiB; lines that are not numbers are skipped. */
    synchronized void add(String line) {
        String[] f = line.split(",\\s*");
        try {
            long[] s = sums.computeIfAbsent(Integer.parseInt(f[0].strip()), k -> new long[4]);
            s[0] += Long.parseLong(f[1].strip());
            s[1]++;
            s[2] = Math.max(s[2], Long.parseLong(f[2].strip()));
            s[3] = Long.parseLong(f[3].strip());
        } catch (RuntimeException e) {
            // "[N/A]" or a header: no sample
        }
    }

    synchronized List<Gpu> summary() {
        return sums.entrySet().stream().map(e -> new Gpu(e.getKey(), e.getValue()[0] / (double) e.getValue()[1],
                e.getValue()[2], e.getValue()[3], (int) e.getValue()[1])).toList();
    }

    /** A monitor fed by {@link #add} alone (tests of the parsing). */
    static GpuMonitor fed() {
        return new GpuMonitor();
    }

    private GpuMonitor() {
        this.smi = null;
        this.reader = null;
    }

    @Override
    public void close() {
        if (smi != null) {
            smi.destroy();
        }
    }
}
