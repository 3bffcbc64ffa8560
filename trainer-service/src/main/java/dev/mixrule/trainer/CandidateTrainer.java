package dev.mixrule.trainer;

import dev.mixrule.core.checkpoint.FileCheckpointStore;
import dev.mixrule.core.messaging.Records;
import dev.mixrule.core.messaging.Topics;
import dev.mixrule.core.pipeline.TrainingJob;
import dev.mixrule.core.training.TrainingProgress;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.TrainingResult;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

/** Candidates in, training results out. Unparseable records throw, and so land on the dead-letter topic. */
@ApplicationScoped
public class CandidateTrainer {
    private static final Logger LOG = Logger.getLogger(CandidateTrainer.class);

    private final TrainingJob job;

    public CandidateTrainer(@ConfigProperty(name = "mixrule.checkpoint.dir") Path checkpointDir,
                            @ConfigProperty(name = "mixrule.trainer.id") Optional<String> trainerId) {
        String id = trainerId.filter(s -> !s.isBlank()).orElse(ManagementFactory.getRuntimeMXBean().getName());
        this.job = new TrainingJob(new FileCheckpointStore(checkpointDir), id);
        LOG.infof("trainer %s writes checkpoints under %s", id, checkpointDir.toAbsolutePath());
    }

    @Incoming(Topics.CANDIDATES)
    @Outgoing(Topics.TRAINING_RESULTS)
    @Blocking
    public Record<String, byte[]> train(ConsumerRecord<String, byte[]> record) {
        Candidate c = Records.parse(Candidate.parser(), Topics.CANDIDATES, record.key(), record.value());
        Records.requireKey(Topics.CANDIDATES, record.key(), c.getGenomeId());
        LOG.infof("training %s on %s (experiment %s): %s", c.getGenomeId(), c.getDataset(), c.getExperimentId(),
                c.getCanonical());
        TrainingResult r = job.run(c, new TrainingProgress() {
            @Override
            public void epochEnd(int epoch, int epochs, double loss, double trainAcc, double validAcc) {
                LOG.infof("%s epoch %d/%d loss %.4f train %.4f valid %.4f", c.getGenomeId(), epoch, epochs, loss,
                        trainAcc, validAcc);
            }
        });
        if (r.getStatus() == dev.mixrule.proto.TrainingStatus.TRAINING_STATUS_FAILED) {
            LOG.warnf("%s failed: %s", c.getGenomeId(), r.getFailureReason());
        } else {
            LOG.infof("%s trained: valid accuracy %.4f in %.1f s", c.getGenomeId(), r.getMetrics().getValidAccuracy(),
                    r.getMetrics().getTrainSeconds());
        }
        return Record.of(c.getGenomeId(), r.toByteArray());
    }
}
