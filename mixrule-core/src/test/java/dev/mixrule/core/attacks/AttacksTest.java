package dev.mixrule.core.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mixrule.core.data.DataSplits;
import dev.mixrule.core.data.SyntheticShapes;
import dev.mixrule.core.evaluation.Evaluator;
import dev.mixrule.core.evaluation.RobustnessEvaluator;
import dev.mixrule.core.genome.GenomeCodec;
import dev.mixrule.core.genome.GenomePlan;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.core.training.TrainingOptions;
import dev.mixrule.core.training.TrainingProgress;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AttacksTest {
    static final DataSplits DATA = SyntheticShapes.load(1500, 300, 300, 5);
    static TrainedModel model;

    @BeforeAll
    static void train() {
        model = ComputeThread.call(() -> GenomeTrainer.train(GenomePlan.of(GenomeCodec.fromCanonical(
                "chain:pad0|conv3x3-8-p1-relu@bp|maxpool2|dense-32-relu@bp|dense-4@bp"), SyntheticShapes.SHAPE), DATA,
                new TrainingOptions(3, 32, 0.05, 0.9, 5e-4, 0, 0, 2), TrainingProgress.NONE).model());
    }

    @AfterAll
    static void close() {
        ComputeThread.call(() -> {
            model.close();
            return null;
        });
    }

    /** logits = W x + b on 1x2x2 images, 3 classes. */
    static Classifier linear(NDManager m, float[] w, float[] b) {
        NDArray wt = m.create(w, new Shape(3, 4));
        NDArray bt = m.create(b);
        return new Classifier() {
            public NDArray logits(NDArray images) {
                return images.reshape(images.getShape().get(0), 4).matMul(wt.transpose()).add(bt);
            }

            public NDManager manager() {
                return m;
            }

            public long[] imageShape() {
                return new long[] {1, 2, 2};
            }
        };
    }

    @Test
    void fgsmOnALinearModelMovesEveryPixelByEpsInTheSignOfTheKnownGradient() {
        ComputeThread.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                float[] w = {1, -2, 0.5f, 3, -1, 1, 2, -0.5f, 0.25f, 0.75f, -3, 1};
                float[] b = {0.1f, -0.2f, 0.3f};
                float[] x = {0.5f, 0.02f, 0.03f, 0.98f};
                int y = 1;
                float eps = 0.05f;
                // by hand: dL/dx = W^T (softmax(Wx + b) - onehot(y))
                double[] z = new double[3];
                double max = -1e9, sum = 0;
                for (int k = 0; k < 3; k++) {
                    z[k] = b[k];
                    for (int i = 0; i < 4; i++) {
                        z[k] += w[k * 4 + i] * x[i];
                    }
                    max = Math.max(max, z[k]);
                }
                for (int k = 0; k < 3; k++) {
                    z[k] = Math.exp(z[k] - max);
                    sum += z[k];
                }
                float[] expected = new float[4];
                for (int i = 0; i < 4; i++) {
                    double g = 0;
                    for (int k = 0; k < 3; k++) {
                        g += w[k * 4 + i] * (z[k] / sum - (k == y ? 1 : 0));
                    }
                    expected[i] = (float) Math.max(0, Math.min(1, x[i] + eps * Math.signum(g)));
                }
                NDArray adv = new FgsmAttack().perturb(linear(m, w, b), m.create(x, new Shape(1, 1, 2, 2)),
                        m.create(new long[] {y}), eps);
                float[] got = adv.toFloatArray();
                for (int i = 0; i < 4; i++) {
                    assertEquals(expected[i], got[i], 1e-6f, "pixel " + i);
                }
                int clipped = 0;
                for (int i = 0; i < 4; i++) {
                    assertTrue(Math.abs(got[i] - x[i]) <= eps + 1e-6f);
                    if (got[i] == 0f || got[i] == 1f) {
                        clipped++;
                    }
                }
                assertTrue(clipped > 0, "the fixture must exercise the clip to [0,1]: " + java.util.Arrays.toString(got));
            }
            return null;
        });
    }

    @Test
    void pgdAndApgdAreNeverWeakerThanFgsmAtEqualEps() {
        ComputeThread.call(() -> {
            Classifier f = Classifier.of(model);
            NDManager m = model.manager();
            int n = 200;
            NDArray x = m.create(java.util.Arrays.copyOf(DATA.test().images(), n * 144), new Shape(n, 1, 12, 12));
            long[] y = new long[n];
            for (int i = 0; i < n; i++) {
                y[i] = DATA.test().labels()[i];
            }
            NDArray labels = m.create(y);
            for (float eps : new float[] {0.05f, 0.1f, 0.2f}) {
                double fgsm = count(new FgsmAttack().robust(f, x, labels, eps));
                double pgd = count(new PgdAttack(10, 0, 1).robust(f, x, labels, eps));
                double apgd = count(new ApgdAttack(20).robust(f, x, labels, eps));
                assertTrue(pgd <= fgsm, "eps " + eps + ": pgd " + pgd + " > fgsm " + fgsm);
                assertTrue(apgd <= fgsm, "eps " + eps + ": apgd " + apgd + " > fgsm " + fgsm);
            }
            return null;
        });
    }

    @Test
    void anAttackThroughAStopGradientInputIsFlaggedUnreliableNotReportedRobust() {
        ComputeThread.call(() -> {
            Classifier honest = Classifier.of(model);
            Classifier masked = new Classifier() {
                public NDArray logits(NDArray images) {
                    return model.logits(images.stopGradient(), false);
                }

                public NDManager manager() {
                    return model.manager();
                }

                public long[] imageShape() {
                    return honest.imageShape();
                }
            };
            RobustnessEvaluator eval = new RobustnessEvaluator(new RobustnessEvaluator.Config("test", 200, 0.1f,
                    new float[] {0.1f, 0.3f}, List.of("fgsm", "pgd", "square", "transfer"), 5, 10, 60, null));
            Evaluator.Result r = eval.evaluate(masked, honest, DATA.test(), 200);
            assertTrue(r.unreliable(), "a masked model must be flagged");
            assertTrue(r.unreliableReasons().stream().anyMatch(s -> s.contains("input gradients are zero")), r.unreliableReasons().toString());
            assertEquals(r.metrics().get("clean_accuracy"), r.metrics().get("pgd_accuracy"),
                    "white-box attacks did nothing through the cut: exactly why the number is not evidence");
            assertTrue(r.metrics().get("transfer_accuracy") < r.metrics().get("pgd_accuracy"), r.metrics().toString());

            Evaluator.Result h = eval.evaluate(honest, honest, DATA.test(), 200);
            assertTrue(h.unreliableReasons().stream().noneMatch(s -> s.contains("input gradients are zero")), h.unreliableReasons().toString());
            assertTrue(h.metrics().get("pgd_accuracy") < h.metrics().get("clean_accuracy"), h.metrics().toString());
            assertEquals(200, h.examples());
            return null;
        });
    }

    static double count(boolean[] b) {
        int c = 0;
        for (boolean v : b) {
            if (v) {
                c++;
            }
        }
        return c;
    }
}
