package dev.mixrule.kernel.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        BrokenFiles.truncate(dir.resolve("valid.bin"), 100);
        BrokenFiles.assertFailsNaming(() -> ImageNet16.load(dir), "valid.bin", "769-byte records");
    }

    @Test
    void aLabelOf120NamesTheFile(@TempDir Path dir) throws IOException {
        fixture(dir);
        BrokenFiles.setByte(dir.resolve("test.bin"), 3 * (1 + PIXELS), 120);
        BrokenFiles.assertFailsNaming(() -> ImageNet16.load(dir), "test.bin", "label 120 of record 3");
    }

    @Test
    void aMissingFileNamesTheFile(@TempDir Path dir) throws IOException {
        fixture(dir);
        Files.delete(dir.resolve("train.bin"));
        BrokenFiles.assertFailsNaming(() -> ImageNet16.load(dir), "train.bin: missing", "imagenet16_to_bin.py");
    }
}
