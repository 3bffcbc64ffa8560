package dev.mixrule.kernel.data;

import dev.mixrule.kernel.genome.InputShape;
import java.util.Random;

/** The standard CIFAR training augmentation (pad, random crop, random horizontal flip), done in place. */
public final class Augmentation {
    private Augmentation() {}

    /** One image's random draws: row offset, column offset (each in [-padding, padding]) and whether to mirror. */
    public record Draw(int dy, int dx, boolean flip) {}

    /** The next image's draws, in the order every path draws them (so a seed fixes the result on host and device). */
    public static Draw draw(Random random, int padding) {
        int dy = random.nextInt(2 * padding + 1) - padding;
        int dx = random.nextInt(2 * padding + 1) - padding;
        return new Draw(dy, dx, random.nextBoolean());
    }

    /**
     * For each of the first n images of the batch (ImageDataset layout): zero-pad by {@code padding}
     * pixels, crop back to the original size at a uniform offset, and mirror left-right with probability
     * 0.5. Per image the random draws are: row offset, column offset, flip; so a seed fixes the result.
     */
    public static void cropAndFlip(float[] batch, int n, InputShape shape, int padding, Random random) {
        int pixels = shape.pixels();
        if (n < 0 || (long) n * pixels > batch.length) {
            throw new IllegalArgumentException(n + " images of " + pixels + " pixels do not fit a batch of "
                    + batch.length + " values");
        }
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        }
        int c = shape.channels();
        int h = shape.height();
        int w = shape.width();
        float[] src = new float[pixels];
        for (int i = 0; i < n; i++) {
            Draw d = draw(random, padding);
            int dy = d.dy();
            int dx = d.dx();
            boolean flip = d.flip();
            if (dy == 0 && dx == 0 && !flip) {
                continue;
            }
            int off = i * pixels;
            System.arraycopy(batch, off, src, 0, pixels);
            for (int ch = 0; ch < c; ch++) {
                int plane = ch * h * w;
                for (int y = 0; y < h; y++) {
                    int sy = y + dy;
                    for (int x = 0; x < w; x++) {
                        // output (y, x) is the crop's (y, w-1-x) when flipped; the crop's (y, x) is source (y+dy, x+dx)
                        int sx = (flip ? w - 1 - x : x) + dx;
                        boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                        batch[off + plane + y * w + x] = inside ? src[plane + sy * w + sx] : 0f;
                    }
                }
            }
        }
    }
}
