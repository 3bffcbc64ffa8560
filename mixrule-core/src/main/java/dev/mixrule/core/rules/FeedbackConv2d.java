package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/** 2-D convolution, square kernel, zero padding, optional bias, trained by a learning rule. */
public final class FeedbackConv2d extends FeedbackLayer {
    private final int filters;
    private final int kernel;
    private final int padding;
    private final int stride;
    private long inChannels = -1;

    public FeedbackConv2d(FeedbackRule rule, RuleContext context, int filters, int kernel, int padding) {
        this(rule, context, filters, kernel, padding, 1, true);
    }

    public FeedbackConv2d(FeedbackRule rule, RuleContext context, int filters, int kernel, int padding, int stride,
                          boolean withBias) {
        super(rule, context, withBias);
        this.filters = filters;
        this.kernel = kernel;
        this.padding = padding;
        this.stride = stride;
    }

    @Override
    public long fanIn() {
        return inChannels * kernel * kernel;
    }

    @Override
    public long fanOut() {
        return (long) filters * kernel * kernel;
    }

    @Override
    public Shape weightShape(Shape input) {
        inChannels = input.get(1);
        return new Shape(filters, inChannels, kernel, kernel);
    }

    @Override
    protected long outputs() {
        return filters;
    }

    @Override
    public NDArray op(NDArray x, NDArray w, NDArray b) {
        Shape one = new Shape(1, 1);
        Shape pad = new Shape(padding, padding);
        return Conv2d.conv2d(x, w, b, new Shape(stride, stride), pad, one, 1).singletonOrThrow();
    }

    @Override
    public NDArray addBias(NDArray y, NDArray b) {
        return y.add(b.reshape(1, -1, 1, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        long h = (in.get(2) + 2L * padding - kernel) / stride + 1;
        long w = (in.get(3) + 2L * padding - kernel) / stride + 1;
        return new Shape[] {new Shape(in.get(0), filters, h, w)};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        inChannels = inputShapes[0].get(1);
    }
}
