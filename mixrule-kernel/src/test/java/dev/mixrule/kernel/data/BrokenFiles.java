package dev.mixrule.kernel.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the dataset tests damage a fixture file, and check that the loader's error says what is wrong where. */
final class BrokenFiles {
    private BrokenFiles() {}

    /** Cuts the last {@code bytes} bytes off the file. */
    static void truncate(Path file, int bytes) throws IOException {
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - bytes));
    }

    /** Overwrites the byte at {@code index} with {@code value}. */
    static void setByte(Path file, int index, int value) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[index] = (byte) value;
        Files.write(file, bytes);
    }

    /** {@code load} fails with a DatasetException whose message contains every one of {@code expected}. */
    static void assertFailsNaming(Executable load, String... expected) {
        DatasetException e = assertThrows(DatasetException.class, load);
        for (String part : expected) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
    }
}
