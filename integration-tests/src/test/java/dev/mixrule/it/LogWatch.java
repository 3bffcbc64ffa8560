package dev.mixrule.it;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a stack process's log from where it ended when the watch was made (logs are appended across
 * restarts), so a drill sees only what happened after it started watching.
 */
final class LogWatch {
    private final Path file;
    private long offset;
    private final StringBuilder partial = new StringBuilder();

    LogWatch(Path file) {
        this.file = file;
        this.offset = size(file);
    }

    /** The first new line matching the pattern, if one was written since the last call. */
    Optional<Matcher> next(Pattern pattern) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() > offset) {
                byte[] bytes = new byte[(int) (f.length() - offset)];
                f.seek(offset);
                f.readFully(bytes);
                offset += bytes.length;
                partial.append(new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            return Optional.empty(); // not there yet
        }
        int end;
        while ((end = partial.indexOf("\n")) >= 0) {
            String line = partial.substring(0, end);
            partial.delete(0, end + 1);
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The first line of any of these logs that matches, with the name of its watch; fails after the timeout. */
    static Map.Entry<String, Matcher> awaitAny(Map<String, LogWatch> watches, Pattern pattern, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Map.Entry<String, LogWatch> w : watches.entrySet()) {
                Optional<Matcher> m = w.getValue().next(pattern);
                if (m.isPresent()) {
                    return Map.entry(w.getKey(), m.get());
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line matching /" + pattern + "/ in " + watches.keySet() + " within " + timeout.toSeconds() + " s");
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
