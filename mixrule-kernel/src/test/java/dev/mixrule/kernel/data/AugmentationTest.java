package dev.mixrule.kernel.data;

import dev.mixrule.kernel.genome.InputShape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentationTest {
    static final InputShape SHAPE = new InputShape(3, 8, 8, 10);
    static final int P = SHAPE.pixels();

    /** n images of distinct positive values, so every pixel is identifiable and none is 0. */
    static float[] batch(int n) {
        float[] b = new float[n * P];
        for (int i = 0; i < b.length; i++) {
            b[i] = (i + 1) / (float) b.length;
        }
        return b;
    }

    static float at(float[] b, int image, int c, int y, int x) {
        return b[image * P + c * 64 + y * 8 + x];
    }

    /** A copy of the batch with its first n images cropped (from a padding-pixel border) and flipped. */
    static float[] augmented(float[] original, int n, int padding, long seed) {
        float[] b = original.clone();
        Augmentation.cropAndFlip(b, n, SHAPE, padding, new Random(seed));
        return b;
    }

    @Test
    void withoutPaddingEachImageIsItselfOrItsMirror() {
        float[] original = batch(20);
        float[] b = augmented(original, 20, 0, 1);
        int flipped = 0;
        for (int i = 0; i < 20; i++) {
            float[] before = Arrays.copyOfRange(original, i * P, (i + 1) * P);
            float[] after = Arrays.copyOfRange(b, i * P, (i + 1) * P);
            boolean mirror = at(b, i, 0, 0, 0) == at(original, i, 0, 0, 7);
            flipped += mirror ? 1 : 0;
            assertTrue(matches(original, b, i, 0, 0, mirror), "image " + i + " is itself" + (mirror ? "'s mirror" : ""));
            Arrays.sort(before);
            Arrays.sort(after);
            assertArrayEquals(before, after, "image " + i + " keeps its pixel multiset");
        }
        assertTrue(flipped > 0 && flipped < 20, flipped + " of 20 flipped");
    }

    @Test
    void aCropShiftsTheContentAndFillsWithZeros() {
        float[] original = batch(50);
        float[] b = augmented(original, 50, 2, 5);
        int shifted = 0;
        for (int i = 0; i < 50; i++) {
            // find the shift (and flip) that explains the image: every kept pixel moved, the rest are 0
            boolean explained = false;
            for (int dy = -2; dy <= 2 && !explained; dy++) {
                for (int dx = -2; dx <= 2 && !explained; dx++) {
                    for (int f = 0; f < 2 && !explained; f++) {
                        explained = matches(original, b, i, dy, dx, f == 1);
                        if (explained && (dy != 0 || dx != 0)) {
                            shifted++;
                        }
                    }
                }
            }
            assertTrue(explained, "image " + i + " is a padded crop, possibly mirrored");
        }
        assertTrue(shifted > 30, shifted + " of 50 shifted");
    }

    static boolean matches(float[] original, float[] b, int i, int dy, int dx, boolean flip) {
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    int sy = y + dy;
                    int sx = (flip ? 7 - x : x) + dx;
                    float want = sy >= 0 && sy < 8 && sx >= 0 && sx < 8 ? at(original, i, c, sy, sx) : 0f;
                    if (at(b, i, c, y, x) != want) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @Test
    void theSameSeedGivesTheSameBatch() {
        float[] a = batch(16);
        float[] b = batch(16);
        float[] c = batch(16);
        Augmentation.cropAndFlip(a, 16, SHAPE, 4, new Random(42));
        Augmentation.cropAndFlip(b, 16, SHAPE, 4, new Random(42));
        Augmentation.cropAndFlip(c, 16, SHAPE, 4, new Random(43));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void imagesPastTheFirstNAreUntouched() {
        float[] original = batch(10);
        float[] b = augmented(original, 6, 4, 3);
        assertArrayEquals(Arrays.copyOfRange(original, 6 * P, 10 * P), Arrays.copyOfRange(b, 6 * P, 10 * P));
        assertFalse(Arrays.equals(Arrays.copyOfRange(original, 0, 6 * P), Arrays.copyOfRange(b, 0, 6 * P)));
    }
}
