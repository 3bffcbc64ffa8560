package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The DFA taps of one training forward: every dfa layer whose input needs an error registers
 * (x, B_l); at the logits the network adds p - stopGradient(p), p = flatten(x) B_l, which changes no
 * value and sends dL/dx = e B_l^T, e = dL/dlogits, straight to x.
 */
public final class DirectFeedback {
    private final List<NDArray[]> taps = new ArrayList<>();

    public void tap(NDArray x, NDArray b) {
        taps.add(new NDArray[] {x, b});
    }

    public void clear() {
        taps.clear();
    }

    public NDArray apply(NDArray logits) {
        NDArray out = logits;
        for (NDArray[] t : taps) {
            NDArray x = t[0];
            NDArray p = x.reshape(x.getShape().get(0), -1).matMul(t[1]);
            out = out.add(p.sub(p.stopGradient()));
        }
        taps.clear();
        return out;
    }
}
