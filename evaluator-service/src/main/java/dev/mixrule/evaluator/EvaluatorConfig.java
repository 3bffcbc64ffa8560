package dev.mixrule.evaluator;

import dev.mixrule.core.evaluation.RobustnessEvaluator;
import dev.mixrule.kernel.simulation.RunMode;
import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/** mixrule.evaluator.* (defaults in application.properties, the one place they are set). */
@ConfigMapping(prefix = "mixrule.evaluator")
public interface EvaluatorConfig {
    /** Evaluator names (dev.mixrule.core.evaluation.Evaluators). */
    List<String> names();

    /** Robustness protocol: screening, full or standard. */
    String protocol();

    /** The split robustness attacks: valid (what search may read) or test (reports only). */
    RobustnessEvaluator.Split split();

    /** Robustness attacks at most this many images of the split (0 = the protocol's; the local stack's demo: fewer). */
    int examples();

    /** Robustness runs only these of the protocol's attacks (unset = all of them). */
    Optional<List<String>> attacks();

    /** real loads the weights and runs the evaluators; simulated publishes synthetic scores. */
    RunMode mode();

    /** Simulated mode: wall time of one evaluation in milliseconds (0, the default: at once; fault drills slow it). */
    long simulatedMs();
}
