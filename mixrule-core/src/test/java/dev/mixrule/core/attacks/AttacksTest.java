package dev.mixrule.core.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mixrule.core.evaluation.Evaluator;
import dev.mixrule.core.evaluation.RobustnessEvaluator;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.Tensors;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.SyntheticShapes;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttacksTest {
    static final DataSplits DATA = SyntheticShapes.load(1500, 300, 300, 5);
    static TrainedModel model;

    @BeforeAll
    static void train() {
        model = ComputeThread.call(() -> GenomeTrainer.train(GenomePlan.of(GenomeCodec.fromCanonical(
                "chain:pad0|conv3x3-8-p1-relu@bp|maxpool2|dense-32-relu@bp|dense-4@bp"), SyntheticShapes.SHAPE), DATA,
                new TrainingOptions(3, 32, 0.05, 0.9, 5e-4, 0, 0, 2), TrainingListener.NONE).model());
    }

    @AfterAll
    static void close() {
        ComputeThread.call(() -> {
            model.close();
            return null;
        });
    }

    /** logits = W x + b on 1x2x2 images, one class per entry of b. */
    static Classifier linear(NDManager m, float[] w, float[] b) {
        NDArray wt = m.create(w, new Shape(b.length, 4));
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
                double fgsm = Attack.count(new FgsmAttack().robust(f, x, labels, eps));
                double pgd = Attack.count(new PgdAttack(10, 0, 1).robust(f, x, labels, eps));
                double apgd = Attack.count(new ApgdAttack(20).robust(f, x, labels, eps));
                assertTrue(pgd <= fgsm, "eps " + eps + ": pgd " + pgd + " > fgsm " + fgsm);
                assertTrue(apgd <= fgsm, "eps " + eps + ": apgd " + apgd + " > fgsm " + fgsm);
            }
            return null;
        });
    }

    static Classifier wrap(Classifier honest, java.util.function.UnaryOperator<NDArray> inputTransform) {
        return new Classifier() {
            public NDArray logits(NDArray images) {
                return model.logits(inputTransform.apply(images), false);
            }

            public NDManager manager() {
                return model.manager();
            }

            public long[] imageShape() {
                return honest.imageShape();
            }

            public void clearParameterGradients() {
                honest.clearParameterGradients();
            }
        };
    }

    static RobustnessEvaluator.Config small(String protocol, RobustnessEvaluator.Split split, List<String> attacks) {
        return new RobustnessEvaluator.Config(protocol, split, 200, 0.1f, new float[] {0.1f, 0.3f}, attacks, 5, 10, 3, 10, 60,
                RobustnessEvaluator.SQUARE_P_INIT, null);
    }

    @Test
    void aModelWhoseInputGradientIsMaskedButDifferentiableIsFlaggedUnreliableNotFailed() {
        ComputeThread.call(() -> {
            Classifier honest = Classifier.of(model);
            // quantising the input to 1/8 steps: round() is differentiable with derivative 0 everywhere
            Classifier masked = wrap(honest, x -> x.mul(8).round().div(8));
            RobustnessEvaluator eval = new RobustnessEvaluator(small("test", RobustnessEvaluator.Split.TEST,
                    List.of("fgsm", "pgd", "square", "transfer")));
            Evaluator.Result r = eval.evaluate(masked, honest, DATA.test(), 200);
            assertFalse(r.failed(), r.failureReason());
            assertTrue(r.metrics().get("clean_accuracy") > 0.6, "the quantised model still classifies: " + r.metrics());
            assertTrue(r.unreliable(), "a masked model must be flagged");
            assertTrue(r.unreliableReasons().stream().anyMatch(s -> s.contains("input gradients are zero")), r.unreliableReasons().toString());
            assertEquals(r.metrics().get("clean_accuracy"), r.metrics().get("fgsm_accuracy"),
                    "a zero gradient moves no pixel: exactly why the number is not evidence");
            assertTrue(r.metrics().get("transfer_accuracy") < r.metrics().get("fgsm_accuracy"), r.metrics().toString());

            Evaluator.Result h = eval.evaluate(honest, honest, DATA.test(), 200);
            assertTrue(h.unreliableReasons().stream().noneMatch(s -> s.contains("input gradients are zero")), h.unreliableReasons().toString());
            assertTrue(h.metrics().get("pgd_accuracy") < h.metrics().get("clean_accuracy"), h.metrics().toString());
            assertEquals(200, h.examples());
            return null;
        });
    }

    @Test
    void aClassifierWhoseBackwardThrowsIsFailedNamingTheAttackWithNoNumbers() {
        ComputeThread.call(() -> {
            Classifier honest = Classifier.of(model);
            Classifier cut = wrap(honest, NDArray::stopGradient); // backward cannot reach the input
            NDManager m = model.manager();
            try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
                NDArray x = Tensors.images(DATA.test(), m, 0, 20);
                NDArray y = Tensors.labels(DATA.test(), m, 0, 20);
                AttackFailedException e = assertThrows(AttackFailedException.class, () -> new ApgdAttack(5).run(cut, x, y, 0.1f));
                assertEquals("apgd", e.attack());
                assertInstanceOf(GradientUnavailableException.class, e.getCause());
                assertTrue(e.getMessage().contains("attack 'apgd' failed") && e.getMessage().contains("input"), e.getMessage());
            }
            Evaluator.Result r = new RobustnessEvaluator(small("test", RobustnessEvaluator.Split.TEST,
                    List.of("apgd", "square"))).evaluate(cut, null, DATA.test(), 50);
            assertTrue(r.failed(), "must fail, not report numbers: " + r.metrics());
            assertTrue(r.failureReason().contains("attack 'apgd'"), r.failureReason());
            assertTrue(r.metrics().isEmpty(), r.metrics().toString());
            return null;
        });
    }

    @Test
    void validSplitMetricsArePrefixedAndTheProtocolNamesSplitAndSize() {
        ComputeThread.call(() -> {
            Classifier honest = Classifier.of(model);
            Evaluator.Result v = new RobustnessEvaluator(small("screening", RobustnessEvaluator.Split.VALID, List.of("fgsm", "apgd")))
                    .evaluate(honest, null, DATA.valid(), 40);
            assertTrue(v.protocol().startsWith("screening:valid:40:"), v.protocol());
            assertTrue(v.metrics().keySet().stream().allMatch(k -> k.startsWith("valid_")), v.metrics().keySet().toString());
            assertTrue(v.metrics().containsKey("valid_apgd_accuracy") && v.metrics().containsKey("valid_worst_case_accuracy")
                    && v.metrics().containsKey("valid_clean_accuracy") && v.metrics().containsKey("valid_pgd_accuracy_eps0.3000") == false,
                    v.metrics().keySet().toString());
            Evaluator.Result t = new RobustnessEvaluator(small("screening", RobustnessEvaluator.Split.TEST, List.of("fgsm", "apgd")))
                    .evaluate(honest, null, DATA.test(), 40);
            assertTrue(t.protocol().startsWith("screening:test:40:"), t.protocol());
            assertTrue(t.metrics().containsKey("apgd_accuracy") && t.metrics().containsKey("worst_case_accuracy"), t.metrics().toString());
            assertTrue(t.metrics().keySet().stream().noneMatch(k -> k.startsWith("valid_")), t.metrics().keySet().toString());
            return null;
        });
    }

    @Test
    void aCutDownScreeningRunsOnlyItsAttacksOnItsValidationImagesAndTrainsNoTwin() {
        ComputeThread.call(() -> {
            // the local stack's demo settings: screening on 30 validation images without the transfer attack
            RobustnessEvaluator.Config c = RobustnessEvaluator.config("screening", RobustnessEvaluator.Split.VALID, "synthetic",
                    (target, data, recipe) -> { throw new AssertionError("no transfer attack, so no backprop twin to train"); })
                    .limitedTo(30, List.of("apgd", "fgsm"));
            assertEquals(List.of("fgsm", "apgd"), c.attacks(), "the protocol's order and settings");
            Evaluator.Result r = new RobustnessEvaluator(c).evaluate(model, DATA, new Evaluator.Settings(0));
            assertFalse(r.failed(), r.failureReason());
            assertEquals(30, r.examples());
            assertTrue(r.protocol().startsWith("screening:valid:30:") && !r.protocol().contains("transfer")
                    && !r.protocol().contains("square"), r.protocol());
            assertTrue(r.metrics().containsKey("valid_apgd_accuracy") && r.metrics().containsKey("valid_fgsm_accuracy")
                    && !r.metrics().containsKey("valid_square_accuracy"), r.metrics().keySet().toString());
            assertTrue(r.metrics().get("valid_apgd_accuracy") <= r.metrics().get("valid_clean_accuracy"), r.metrics().toString());
            return null;
        });
    }

    @Test
    void standardProtocolWorstCaseIsAtMostEachAttackWhichIsAtMostClean() {
        ComputeThread.call(() -> {
            RobustnessEvaluator.Config c = new RobustnessEvaluator.Config("standard", RobustnessEvaluator.Split.TEST, 100, 0.08f,
                    new float[0], List.of("apgd", "apgd_t", "fab_t", "square"), 0, 10, 3, 10, 100, RobustnessEvaluator.SQUARE_P_INIT, null);
            long t0 = System.nanoTime();
            Evaluator.Result r = new RobustnessEvaluator(c).evaluate(Classifier.of(model), null, DATA.test(), 0);
            System.out.printf("standard (small) on 100: %s in %.1f s%n", r.metrics(), (System.nanoTime() - t0) / 1e9);
            assertFalse(r.failed(), r.failureReason());
            double clean = r.metrics().get("clean_accuracy");
            double worst = r.metrics().get("worst_case_accuracy");
            for (String a : List.of("apgd", "apgd_t", "fab_t", "square")) {
                double acc = r.metrics().get(a + "_accuracy");
                assertTrue(worst <= acc && acc <= clean, a + ": " + r.metrics());
            }
            assertTrue(worst < clean, "the attacks must break something at eps 0.08: " + r.metrics());
            assertTrue(r.protocol().startsWith("standard:test:100:linf:eps=0.0800:apgd-ce"), r.protocol());
            return null;
        });
    }

    /** logits = W x + b on 1x2x2 images, 4 classes; W rows chosen so class 0 wins at x = 0.5 and no box bound binds. */
    static final float[] W4 = {2, -1, 0.5f, 1, 0.5f, 1, -1, 0.25f, -0.5f, 0.75f, 1.5f, -1, 1, 1, 1, 1};
    static final float[] B4 = {0.3f, 0, 0.1f, -0.6f};
    static final float[] X4 = {0.5f, 0.45f, 0.55f, 0.5f};

    /** Runs a check on the compute thread against the 4-class linear model, with X4 as a batch of one labelled 0. */
    static void onLinear4(Linear4Check check) {
        ComputeThread.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                check.run(m, linear(m, W4, B4), m.create(X4, new Shape(1, 1, 2, 2)), m.create(new long[] {0}));
            }
            return null;
        });
    }

    interface Linear4Check {
        void run(NDManager m, Classifier f, NDArray x, NDArray y);
    }

    static double logit(int c) {
        double z = B4[c];
        for (int i = 0; i < 4; i++) {
            z += W4[c * 4 + i] * X4[i];
        }
        return z;
    }

    /** Minimal L-inf change of X4 that makes class c score as high as class 0: (z_0 - z_c) / ||w_0 - w_c||_1. */
    static double minimalDistance(int c) {
        double l1 = 0;
        for (int i = 0; i < 4; i++) {
            l1 += Math.abs(W4[i] - W4[c * 4 + i]);
        }
        return (logit(0) - logit(c)) / l1;
    }

    @Test
    void dlrTargetedLossMatchesTheFormulaByHand() {
        ComputeThread.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray logits = m.create(new float[] {3, 1, 2, 0.5f, -1, 2.5f, 0, 4, 1, 3, 2, -2}, new Shape(2, 6));
                float[] got = Gradients.dlrTargeted(logits, m.create(new long[] {0, 3}), m.create(new long[] {2, 1})).toFloatArray();
                // row 0: y = 0 (3), t = 2 (2), sorted 3, 2.5, 2, 1: -(3 - 2) / (3 - (2 + 1) / 2)
                assertEquals(-(3 - 2) / (3 - (2 + 1) / 2.0), got[0], 1e-6);
                // row 1: y = 3 (3), t = 1 (4), sorted 4, 3, 2, 1: -(3 - 4) / (4 - (2 + 1) / 2)
                assertEquals(-(3 - 4) / (4 - (2 + 1) / 2.0), got[1], 1e-6);
            }
            return null;
        });
    }

    @Test
    void fabTargetedFindsTheClosedFormMinimalPerturbationOfALinearModel() {
        onLinear4((m, f, x, y) -> {
            double best = Double.POSITIVE_INFINITY;
            for (int c = 1; c < 4; c++) {
                double exact = minimalDistance(c);
                assertTrue(exact > 0 && exact < 0.4, "fixture: class 0 wins and no bound binds for class " + c + ": " + exact);
                float got = FabTargetedAttack.minimalDistance(f, x, y, m.create(new long[] {c}), 20)[0];
                assertTrue(got >= exact - 1e-5 && got <= FabTargetedAttack.ETA * exact + 1e-5,
                        "class " + c + ": FAB found " + got + ", minimal is " + exact);
                best = Math.min(best, exact);
            }
            FabTargetedAttack fab = new FabTargetedAttack(20, 3);
            assertFalse(fab.robust(f, x, y, (float) (1.06 * best))[0], "an adversarial within 1.06 x the minimum exists");
            assertTrue(fab.robust(f, x, y, (float) (0.98 * best))[0], "nothing below the minimum can be adversarial");
        });
    }

    @Test
    void apgdTargetedBreaksALinearModelJustAboveTheMinimalDistanceAndNotBelow() {
        onLinear4((m, f, x, y) -> {
            double best = Double.POSITIVE_INFINITY;
            for (int c = 1; c < 4; c++) {
                best = Math.min(best, minimalDistance(c));
            }
            assertFalse(new ApgdTargetedAttack(20, 3).robust(f, x, y, (float) (1.05 * best))[0]);
            assertTrue(new ApgdTargetedAttack(20, 3).robust(f, x, y, (float) (0.95 * best))[0]);
            // one target only: the 2nd-highest clean logit (class 3, also the closest in this fixture)
            assertEquals(3, TargetOrder.byCleanLogits(f, x, y)[0][0]);
            assertEquals(3, argMinDistance());
            assertFalse(new ApgdTargetedAttack(20, 1).robust(f, x, y, (float) (1.05 * best))[0]);
        });
    }

    static int argMinDistance() {
        int arg = 1;
        for (int c = 2; c < 4; c++) {
            if (minimalDistance(c) < minimalDistance(arg)) {
                arg = c;
            }
        }
        return arg;
    }
}
