package dev.mixrule.kernel.genome;

/** Shape of one input image and the number of classes of the dataset it comes from. */
public record InputShape(int channels, int height, int width, int classes) {
    public InputShape {
        if (channels < 1 || height < 1 || width < 1 || classes < 2) {
            throw new IllegalArgumentException("bad input shape " + channels + "x" + height + "x" + width
                    + " with " + classes + " classes");
        }
    }

    public int pixels() {
        return channels * height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width + " (" + classes + " classes)";
    }
}
