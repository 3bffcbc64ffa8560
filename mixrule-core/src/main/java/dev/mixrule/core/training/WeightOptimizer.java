package dev.mixrule.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.mixrule.kernel.recipe.TrainingOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * One optimizer kind: updates each trainable weight in place from its clipped gradient (weight decay already
 * added). Our own small classes rather than DJL's {@code Sgd} and {@code Adam}: DJL's SGD folds the learning
 * rate into the velocity and has no Nesterov momentum, and DJL's Adam moves the bias correction into the step
 * size (epsilon uncorrected) and takes float rates, so neither reproduces these updates exactly.
 */
interface WeightOptimizer {
    /** Updates weight {@code i} of the trainable parameters; {@code t} counts steps from 1. */
    void update(int i, NDArray w, NDArray g, double lr, long t);

    /** The optimizer the options name, with zeroed state for each parameter. */
    static WeightOptimizer of(TrainingOptions opt, List<Parameter> params, NDManager manager) {
        return switch (opt.optimizer()) {
            case SGD -> new MomentumSgd(opt.momentum(), zeros(params, manager));
            case NESTEROV -> new NesterovSgd(opt.momentum(), zeros(params, manager));
            case ADAM -> new Adam(opt.momentum() > 0 ? opt.momentum() : Adam.DEFAULT_BETA1, zeros(params, manager),
                    zeros(params, manager));
        };
    }

    private static List<NDArray> zeros(List<Parameter> params, NDManager manager) {
        List<NDArray> state = new ArrayList<>();
        for (Parameter p : params) {
            state.add(manager.zeros(p.getArray().getShape()));
        }
        return state;
    }

    /** Heavy-ball momentum: v = mu v + g; w -= lr v. */
    record MomentumSgd(double momentum, List<NDArray> velocity) implements WeightOptimizer {
        @Override
        public void update(int i, NDArray w, NDArray g, double lr, long t) {
            NDArray v = velocity.get(i);
            v.muli(momentum).addi(g);
            w.subi(v.mul(lr));
        }
    }

    /** Nesterov momentum: v = mu v + g; w -= lr (g + mu v). */
    record NesterovSgd(double momentum, List<NDArray> velocity) implements WeightOptimizer {
        @Override
        public void update(int i, NDArray w, NDArray g, double lr, long t) {
            NDArray v = velocity.get(i);
            v.muli(momentum).addi(g);
            w.subi(g.add(v.mul(momentum)).mul(lr));
        }
    }

    /** Adam: m = b1 m + (1-b1) g; s = b2 s + (1-b2) g^2; w -= lr m^ / (sqrt(s^) + eps). */
    record Adam(double beta1, List<NDArray> first, List<NDArray> second) implements WeightOptimizer {
        static final double DEFAULT_BETA1 = 0.9;
        static final double BETA2 = 0.999;
        static final double EPSILON = 1e-8;

        @Override
        public void update(int i, NDArray w, NDArray g, double lr, long t) {
            NDArray m = first.get(i);
            NDArray s = second.get(i);
            m.muli(beta1).addi(g.mul(1 - beta1));
            s.muli(BETA2).addi(g.square().mul(1 - BETA2));
            double c1 = 1 - Math.pow(beta1, t);
            double c2 = 1 - Math.pow(BETA2, t);
            w.subi(m.div(c1).div(s.div(c2).sqrt().add(EPSILON)).mul(lr));
        }
    }
}
