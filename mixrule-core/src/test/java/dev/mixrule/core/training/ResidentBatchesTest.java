package dev.mixrule.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.mixrule.kernel.data.Cifar;
import dev.mixrule.kernel.data.ImageDataset;
import dev.mixrule.kernel.data.Normalization;
import dev.mixrule.kernel.data.SyntheticShapes;
import dev.mixrule.kernel.genome.InputShape;
import dev.mixrule.kernel.recipe.TrainingListener;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The device-resident training set gives exactly the batches of the host path (same order, same crops and flips)
 * while a step uploads nothing: the GPU path, run on the CPU.
 */
class ResidentBatchesTest {
    /** 70 random images of a dataset's shape: batches of 16 leave a last batch of 6. */
    static ImageDataset images(InputShape shape, long seed) {
        Random r = new Random(seed);
        float[] px = new float[70 * shape.pixels()];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextFloat();
        }
        int[] labels = new int[70];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(shape.classes());
        }
        return new ImageDataset("train", shape, new Normalization(0.5f, 0.25f), px, labels);
    }

    /** A whole run: the resident path uploads the set and one plan per epoch, the host path two arrays a step; same result. */
    @Test
    void aResidentRunUploadsOncePerEpochAndTrainsAsTheHostRunDoes() {
        TrainingRun[] runs = new TrainingRun[2];
        long[] uploads = new long[2];
        for (int i = 0; i < 2; i++) {
            boolean resident = i == 1;
            int k = i;
            ComputeThread.call(() -> {
                long before = Uploads.count();
                runs[k] = GenomeTrainer.train(ReadBacksTest.plan(ReadBacksTest.chain("fa")), ReadBacksTest.DATA, ReadBacksTest.OPT,
                        new TrainingListener() {}, Device.cpu(), resident);
                uploads[k] = Uploads.count() - before;
                runs[k].model().close();
                return null;
            });
        }
        assertEquals(2L * 2 * 50, uploads[0], "host: images and labels at each of 2 x 50 steps");
        assertEquals(2 + 2, uploads[1], "resident: images and labels once, then one plan per epoch");
        assertEquals(runs[0].trainLoss(), runs[1].trainLoss(), 1e-6);
        assertEquals(runs[0].validAccuracy(), runs[1].validAccuracy(), 1e-9);
    }

    @ParameterizedTest
    @ValueSource(strings = {SyntheticShapes.NAME, Cifar.NAME_10}) // plain, and padded random crops with flips
    void residentBatchesAreTheHostBatchesAndAStepUploadsNothing(String dataset) {
        InputShape shape = dataset.equals(Cifar.NAME_10) ? new InputShape(3, 32, 32, 10) : SyntheticShapes.SHAPE;
        ImageDataset train = images(shape, 7);
        ComputeThread.call(() -> {
            try (NDManager m = NDManager.newBaseManager(Device.cpu());
                 ResidentBatches resident = new ResidentBatches(train, dataset, 16, 42, m)) {
                Batches host = new Batches(train, dataset, 16, 42);
                int differentFromSource = 0;
                for (int epoch = 1; epoch <= 3; epoch++) {
                    host.shuffle(epoch);
                    resident.shuffle(epoch);
                    for (int from = 0; from < train.size(); from += 16) {
                        int b = host.fill(from);
                        assertEquals(b, resident.fill(from));
                        try (NDScope scope = new NDScope()) {
                            long uploads = Uploads.count();
                            NDArray x = resident.images(m, b);
                            NDArray y = resident.labels(m, b);
                            assertEquals(uploads, Uploads.count(), "a resident step uploads nothing");
                            float[] expected = host.images(m, b).toFloatArray();
                            assertArrayEquals(expected, x.toFloatArray(), "epoch " + epoch + ", batch at " + from);
                            assertArrayEquals(host.labels(m, b).toIntArray(), y.toIntArray());
                            assertEquals(uploads + 2, Uploads.count(), "a host step uploads images and labels");
                            int first = host.order()[from];
                            float[] source = java.util.Arrays.copyOfRange(train.images(), first * shape.pixels(), (first + 1) * shape.pixels());
                            float[] got = java.util.Arrays.copyOfRange(expected, 0, shape.pixels());
                            differentFromSource += java.util.Arrays.equals(source, got) ? 0 : 1;
                        }
                    }
                }
                if (dataset.equals(Cifar.NAME_10)) {
                    assertTrue(differentFromSource > 10, "crops and flips were applied: " + differentFromSource + " of 15 batches");
                } else {
                    assertEquals(0, differentFromSource, "no augmentation on " + dataset);
                }
            }
            return null;
        });
    }

    @Test
    void theTrainingSetIsResidentOnAGpuOrWhenAsked() {
        ImageDataset small = images(SyntheticShapes.SHAPE, 1);
        String before = System.getProperty(GenomeTrainer.RESIDENT_DATA);
        try {
            System.clearProperty(GenomeTrainer.RESIDENT_DATA);
            assertTrue(GenomeTrainer.residentData(Device.gpu(0), small));
            assertFalse(GenomeTrainer.residentData(Device.cpu(), small), "on a CPU the host batches are the cheaper path");
            System.setProperty(GenomeTrainer.RESIDENT_DATA, "true");
            assertTrue(GenomeTrainer.residentData(Device.cpu(), small));
            System.setProperty(GenomeTrainer.RESIDENT_DATA, "false");
            assertFalse(GenomeTrainer.residentData(Device.gpu(0), small));
            System.setProperty(GenomeTrainer.RESIDENT_DATA, "yes");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GenomeTrainer.residentData(Device.cpu(), small));
            assertTrue(e.getMessage().startsWith("mixrule.training.resident-data must be auto, true or false"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(GenomeTrainer.RESIDENT_DATA);
            } else {
                System.setProperty(GenomeTrainer.RESIDENT_DATA, before);
            }
        }
    }
}
