package dev.mixrule.kernel.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CifarTest {
    static final int PIXELS = 3 * 32 * 32;

    /** Pixel (c, y, x) of record r holds a value that identifies all four, so misplacement shows. */
    static int pixel(int r, int c, int y, int x) {
        return (r * 7 + c * 50 + y * 3 + x) % 256;
    }

    /** Records with the given label bytes (1 for CIFAR-10, coarse+fine for CIFAR-100); ids number the records. */
    static byte[] records(int firstId, int[][] labelBytes) {
        int header = labelBytes[0].length;
        byte[] out = new byte[labelBytes.length * (header + PIXELS)];
        for (int i = 0; i < labelBytes.length; i++) {
            int off = i * (header + PIXELS);
            for (int h = 0; h < header; h++) {
                out[off + h] = (byte) labelBytes[i][h];
            }
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        out[off + header + c * 1024 + y * 32 + x] = (byte) pixel(firstId + i, c, y, x);
                    }
                }
            }
        }
        return out;
    }

    static void assertImage(ImageDataset d, int index, int id) {
        for (int[] p : new int[][] {{0, 0, 0}, {0, 31, 31}, {1, 5, 17}, {2, 30, 1}, {2, 31, 31}}) {
            float got = d.images()[index * PIXELS + p[0] * 1024 + p[1] * 32 + p[2]];
            assertEquals(pixel(id, p[0], p[1], p[2]) / 255f, got, 1e-7f, d.name() + " image " + index);
        }
    }

    static void assertSizes(DataSplits s, String dataset, int train, int valid, int test) {
        assertEquals(dataset, s.dataset());
        assertEquals(train, s.train().size());
        assertEquals(valid, s.valid().size());
        assertEquals(test, s.test().size());
    }

    /** CIFAR-10 fixture: 5 batches of 4 records (ids 0..19, label id % 10) and a test batch of 6 (ids 100..105). */
    static Path cifar10(Path dir) throws IOException {
        for (int b = 0; b < 5; b++) {
            int[][] labels = new int[4][];
            for (int i = 0; i < 4; i++) {
                labels[i] = new int[] {(b * 4 + i) % 10};
            }
            Files.write(dir.resolve("data_batch_" + (b + 1) + ".bin"), records(b * 4, labels));
        }
        int[][] test = new int[6][];
        for (int i = 0; i < 6; i++) {
            test[i] = new int[] {9 - i};
        }
        Files.write(dir.resolve("test_batch.bin"), records(100, test));
        return dir;
    }

    /** CIFAR-100 fixture: 6 train records (ids 0..5) and 8 test records (ids 100..107); fine = 99 - id % 100. */
    static Path cifar100(Path dir) throws IOException {
        int[][] train = new int[6][];
        for (int i = 0; i < 6; i++) {
            train[i] = new int[] {19 - i, 99 - i};
        }
        int[][] test = new int[8][];
        for (int i = 0; i < 8; i++) {
            test[i] = new int[] {i, 99 - i * 10};
        }
        Files.write(dir.resolve("train.bin"), records(0, train));
        Files.write(dir.resolve("test.bin"), records(100, test));
        return dir;
    }

    @Test
    void cifar10SplitsTheTrainingBatchesInHalvesAndPlacesPlanes(@TempDir Path dir) throws IOException {
        DataSplits s = Cifar.loadCifar10(cifar10(dir));
        assertSizes(s, Cifar.NAME_10, 10, 10, 6);
        assertEquals(Cifar.SHAPE_10, s.train().shape());
        for (int i = 0; i < 10; i++) {
            assertImage(s.train(), i, i);
            assertEquals(i % 10, s.train().labels()[i]);
            assertImage(s.valid(), i, 10 + i);
            assertEquals((10 + i) % 10, s.valid().labels()[i]);
        }
        for (int i = 0; i < 6; i++) {
            assertImage(s.test(), i, 100 + i);
            assertEquals(9 - i, s.test().labels()[i]);
        }
        for (float v : s.train().images()) {
            assertTrue(v >= 0f && v <= 1f);
        }
    }

    @Test
    void cifar100UsesTheFineLabelAndSplitsTheTestFileInHalves(@TempDir Path dir) throws IOException {
        DataSplits s = Cifar.loadCifar100(cifar100(dir));
        assertSizes(s, Cifar.NAME_100, 6, 4, 4);
        assertEquals(100, s.train().shape().classes());
        for (int i = 0; i < 6; i++) {
            assertImage(s.train(), i, i);
            assertEquals(99 - i, s.train().labels()[i]);
        }
        for (int i = 0; i < 4; i++) {
            assertImage(s.valid(), i, 100 + i);
            assertEquals(99 - i * 10, s.valid().labels()[i]);
            assertImage(s.test(), i, 104 + i);
            assertEquals(99 - (4 + i) * 10, s.test().labels()[i]);
        }
    }

    @Test
    void aTruncatedBatchNamesTheFileAndTheRecordSize(@TempDir Path dir) throws IOException {
        cifar10(dir);
        BrokenFiles.truncate(dir.resolve("data_batch_3.bin"), 1);
        BrokenFiles.assertFailsNaming(() -> Cifar.loadCifar10(dir), "data_batch_3.bin", "3073-byte records");
    }

    @Test
    void aCifar10LabelOutOfRangeNamesTheFile(@TempDir Path dir) throws IOException {
        cifar10(dir);
        BrokenFiles.setByte(dir.resolve("test_batch.bin"), 2 * (1 + PIXELS), 10);
        BrokenFiles.assertFailsNaming(() -> Cifar.loadCifar10(dir), "test_batch.bin", "label 10 of record 2");
    }

    @Test
    void aCifar100FineLabelOutOfRangeNamesTheFile(@TempDir Path dir) throws IOException {
        cifar100(dir);
        BrokenFiles.setByte(dir.resolve("train.bin"), 1, 200);
        BrokenFiles.assertFailsNaming(() -> Cifar.loadCifar100(dir), "train.bin", "label 200");
    }

    @Test
    void missingFilesAndFoldersNameThePath(@TempDir Path dir) throws IOException {
        cifar100(dir);
        Files.delete(dir.resolve("test.bin"));
        BrokenFiles.assertFailsNaming(() -> Cifar.loadCifar100(dir), "test.bin: missing");
        Path absent = dir.resolve("no-such-folder");
        BrokenFiles.assertFailsNaming(() -> Cifar.loadCifar10(absent), absent.toString());
    }
}
