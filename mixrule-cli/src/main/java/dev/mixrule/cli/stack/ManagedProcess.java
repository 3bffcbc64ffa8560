package dev.mixrule.cli.stack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A process of the local stack, started in its own session (so Ctrl-C on the CLI leaves it alone),
 * logging to {@code logs/<name>.log}, remembered in {@code pids/<name>.pid} as "pid start-time" so
 * that stopping never hits an unrelated process that reused the PID.
 */
public final class ManagedProcess {
    private final String name;
    private final Path pidFile;
    private final Path logFile;

    public ManagedProcess(StackConfig config, String name) {
        this.name = name;
        this.pidFile = config.pids().resolve(name + ".pid");
        this.logFile = config.logs().resolve(name + ".log");
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    public ProcessHandle start(List<String> command, Map<String, String> env, Path workDir) throws IOException {
        Files.createDirectories(pidFile.getParent());
        Files.createDirectories(logFile.getParent());
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        ProcessHandle h = p.toHandle();
        Files.writeString(pidFile, h.pid() + " " + h.info().startInstant().map(Instant::toEpochMilli).orElse(0L) + "\n");
        return h;
    }

    /** The running process this file names, if it is still the one we started. */
    public Optional<ProcessHandle> running() {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            String[] parts = Files.readString(pidFile, StandardCharsets.UTF_8).trim().split("\\s+");
            long pid = Long.parseLong(parts[0]);
            long started = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> started == 0
                    || h.info().startInstant().map(i -> Math.abs(i.toEpochMilli() - started) < 2000).orElse(true));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** SIGTERM, wait, then SIGKILL; removes the PID file. Returns true if a process was stopped. */
    public boolean stop(Duration grace) throws IOException {
        Optional<ProcessHandle> h = running();
        boolean stopped = false;
        if (h.isPresent()) {
            ProcessHandle p = h.get();
            List<ProcessHandle> family = new ArrayList<>(p.descendants().toList());
            p.destroy();
            long deadline = System.nanoTime() + grace.toNanos();
            while (p.isAlive() && System.nanoTime() < deadline) {
                sleep(100);
            }
            if (p.isAlive()) {
                p.destroyForcibly();
                sleep(300);
            }
            family.forEach(d -> {
                if (d.isAlive()) {
                    d.destroyForcibly();
                }
            });
            stopped = true;
        }
        Files.deleteIfExists(pidFile);
        return stopped;
    }

    /** The last lines of the log, for error messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + logFile + ")";
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
