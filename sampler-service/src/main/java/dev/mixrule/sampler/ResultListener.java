package dev.mixrule.sampler;

import dev.mixrule.kafka.CountsDeadLetters;
import dev.mixrule.kernel.messaging.Records;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.TrainingProgress;
import dev.mixrule.proto.TrainingResult;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Results and per-epoch progress in, told to the experiments. Unparseable records go to the dead-letter
 * topic; while Redis is unreachable a record is retried (it is never dropped or dead-lettered for that).
 */
@ApplicationScoped
public class ResultListener {
    private static final Logger LOG = Logger.getLogger(ResultListener.class);

    private final ExperimentRunner runner;

    public ResultListener(ExperimentRunner runner) {
        this.runner = runner;
    }

    @CountsDeadLetters
    @Incoming(Topics.TRAINING_RESULTS)
    @Blocking
    public void training(ConsumerRecord<String, byte[]> record) {
        TrainingResult t = Records.parseKeyed(TrainingResult.parser(), Topics.TRAINING_RESULTS, record.key(), record.value(),
                TrainingResult::getGenomeId);
        retryWhileRedisIsDown(() -> runner.onTraining(t));
    }

    @CountsDeadLetters
    @Incoming(Topics.EVALUATION_RESULTS)
    @Blocking
    public void evaluation(ConsumerRecord<String, byte[]> record) {
        EvaluationResult e = Records.parseKeyed(EvaluationResult.parser(), Topics.EVALUATION_RESULTS, record.key(), record.value(),
                EvaluationResult::getGenomeId);
        retryWhileRedisIsDown(() -> runner.onEvaluation(e));
    }

    @CountsDeadLetters
    @Incoming(Topics.TRAINING_PROGRESS)
    @Blocking
    public void progress(ConsumerRecord<String, byte[]> record) {
        TrainingProgress p = Records.parseKeyed(TrainingProgress.parser(), Topics.TRAINING_PROGRESS, record.key(), record.value(),
                TrainingProgress::getGenomeId);
        retryWhileRedisIsDown(() -> runner.onProgress(p));
    }

    private static void retryWhileRedisIsDown(Runnable handler) {
        for (int attempt = 1; ; attempt++) {
            try {
                handler.run();
                return;
            } catch (JedisConnectionException e) {
                if (attempt == 1 || attempt % 30 == 0) {
                    LOG.warnf("Redis unreachable (%s); retrying this result every second until it is back", e.getMessage());
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
