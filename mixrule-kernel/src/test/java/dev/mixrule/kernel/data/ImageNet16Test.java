package dev.mixrule.kernel.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageNet16Test {
    static final int PIXELS = 3 * 16 * 16;

    static int pixel(int r, int c, int y, int x) {
        return (r * 11 + c * 80 + y * 5 + x) % 256;
    }

    /** n records with ids from firstId; label = (id * 37) % 120. */
    static byte[] records(int firstId, int n) {
        byte[] out = new byte[n * (1 + PIXELS)];
        for (int i = 0; i < n; i++) {
            int id = firstId + i;
            int off = i * (1 + PIXELS);
            out[off] = (byte) ((id * 37) % 120);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 16; x++) {
                        out[off + 1 + c * 256 + y * 16 + x] = (byte) pixel(id, c, y, x);
                    }
                }
            }
        }
        return out;
    }

    static Path fixture(Path dir) throws IOException {
        Files.write(dir.resolve("train.bin"), records(0, 7));
        Files.write(dir.resolve("valid.bin"), records(100, 3));
        Files.write(dir.resolve("test.bin"), records(200, 4));
        return dir;
    }

    static void assertSplit(ImageDataset d, int firstId, int n) {
        assertEquals(n, d.size(), d.name());
        assertEquals(ImageNet16.SHAPE, d.shape());
        for (int i = 0; i < n; i++) {
            int id = firstId + i;
            assertEquals((id * 37) % 120, d.labels()[i], d.name());
            for (int[] p : new int[][] {{0, 0, 0}, {0, 15, 15}, {1, 3, 12}, {2, 14, 0}, {2, 15, 15}}) {
                float got = d.images()[i * PIXELS + p[0] * 256 + p[1] * 16 + p[2]];
                assertEquals(pixel(id, p[0], p[1], p[2]) / 255f, got, 1e-7f, d.name() + " image " + i);
            }
        }
    }

    @Test
    void readsTheThreeSplitsAsWritten(@TempDir Path dir) throws IOException {
        DataSplits s = ImageNet16.load(fixture(dir));
        assertEquals(ImageNet16.NAME, s.dataset());
        assertSplit(s.train(), 0, 7);
        assertSplit(s.valid(), 100, 3);
        assertSplit(s.test(), 200, 4);
    }

    @Test
    void aTruncatedFileNamesTheFile(@TempDir Path dir) throws IOException {
        fixture(dir);
        Path valid = dir.resolve("valid.bin");
        byte[] whole = Files.readAllBytes(valid);
        Files.write(valid, Arrays.copyOf(whole, whole.length - 100));
        DatasetException e = assertThrows(DatasetException.class, () -> ImageNet16.load(dir));
        assertTrue(e.getMessage().contains("valid.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("769-byte records"), e.getMessage());
    }

    @Test
    void aLabelOf120NamesTheFile(@TempDir Path dir) throws IOException {
        fixture(dir);
        Path test = dir.resolve("test.bin");
        byte[] bytes = Files.readAllBytes(test);
        bytes[3 * (1 + PIXELS)] = 120;
        Files.write(test, bytes);
        DatasetException e = assertThrows(DatasetException.class, () -> ImageNet16.load(dir));
        assertTrue(e.getMessage().contains("test.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("label 120 of record 3"), e.getMessage());
    }

    @Test
    void aMissingFileNamesTheFile(@TempDir Path dir) throws IOException {
        fixture(dir);
        Files.delete(dir.resolve("train.bin"));
        DatasetException e = assertThrows(DatasetException.class, () -> ImageNet16.load(dir));
        assertTrue(e.getMessage().contains("train.bin: missing"), e.getMessage());
        assertTrue(e.getMessage().contains("imagenet16_to_bin.py"), e.getMessage());
    }
}
