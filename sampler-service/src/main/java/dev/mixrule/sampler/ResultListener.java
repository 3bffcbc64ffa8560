package dev.mixrule.sampler;

import dev.mixrule.core.messaging.Records;
import dev.mixrule.core.messaging.Topics;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.TrainingResult;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Results in, told to the experiments' strategies. Unparseable records go to the dead-letter topic. */
@ApplicationScoped
public class ResultListener {
    private final ExperimentRunner runner;

    public ResultListener(ExperimentRunner runner) {
        this.runner = runner;
    }

    @Incoming(Topics.TRAINING_RESULTS)
    @Blocking
    public void training(ConsumerRecord<String, byte[]> record) {
        TrainingResult t = Records.parse(TrainingResult.parser(), Topics.TRAINING_RESULTS, record.key(), record.value());
        Records.requireKey(Topics.TRAINING_RESULTS, record.key(), t.getGenomeId());
        runner.onTraining(t);
    }

    @Incoming(Topics.EVALUATION_RESULTS)
    @Blocking
    public void evaluation(ConsumerRecord<String, byte[]> record) {
        EvaluationResult e = Records.parse(EvaluationResult.parser(), Topics.EVALUATION_RESULTS, record.key(), record.value());
        Records.requireKey(Topics.EVALUATION_RESULTS, record.key(), e.getGenomeId());
        runner.onEvaluation(e);
    }
}
