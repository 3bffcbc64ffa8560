package dev.mixrule.trainer;

import dev.mixrule.core.pipeline.TrainingJob;
import dev.mixrule.kafka.CountsDeadLetters;
import dev.mixrule.kafka.GenomeSpans;
import dev.mixrule.kernel.checkpoint.FileCheckpointStore;
import dev.mixrule.kernel.messaging.Records;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.simulation.RunMode;
import dev.mixrule.kernel.simulation.SimulatedTraining;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.TrainingProgress;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

/**
 * Candidates in, training results out, a progress record per epoch on the side; stops a candidate after
 * its current epoch when the sampler asks (see {@link StopRequests}). In simulated mode the scores come
 * from the synthetic objective instead of DJL. Unparseable records throw, and so land on the dead-letter topic.
 */
@ApplicationScoped
public class CandidateTrainer {
    private static final Logger LOG = Logger.getLogger(CandidateTrainer.class);
    /** What a simulated trainer reports as its device (TrainingResult.device): it trains nothing. */
    static final String SIMULATED_DEVICE = "simulated";

    private final TrainingJob job;
    private final SimulatedTraining simulated;
    private final String trainerId;
    private final StopRequests stops;
    private final Emitter<Record<String, byte[]>> progress;
    private final TrainerMetrics meters;
    private final GenomeSpans spans;

    public CandidateTrainer(TrainerConfig config, CheckpointConfig checkpoints, StopRequests stops,
                            @Channel(Topics.TRAINING_PROGRESS) Emitter<Record<String, byte[]>> progress, TrainerMetrics meters,
                            GenomeSpans spans) {
        this.trainerId = config.id().filter(s -> !s.isBlank()).orElse(ManagementFactory.getRuntimeMXBean().getName());
        this.stops = stops;
        this.progress = progress;
        this.meters = meters;
        this.spans = spans;
        if (config.mode() == RunMode.REAL) {
            this.job = new TrainingJob(new FileCheckpointStore(checkpoints.dir()), this.trainerId, config.device());
            this.simulated = null;
            LOG.infof("trainer %s trains on %s (%s=%s), writes checkpoints under %s", this.trainerId, job.device(),
                    TrainingJob.DEVICE_SETTING, config.device(), checkpoints.dir().toAbsolutePath());
        } else {
            this.job = null;
            this.simulated = new SimulatedTraining(this.trainerId, config.simulatedEpochMs());
            LOG.warnf("trainer %s is SIMULATED: scores come from the synthetic objective, nothing is trained", this.trainerId);
        }
    }

    @CountsDeadLetters
    @Incoming(Topics.CANDIDATES)
    @Outgoing(Topics.TRAINING_RESULTS)
    @Blocking
    public Record<String, byte[]> train(ConsumerRecord<String, byte[]> record) {
        Candidate c = Records.parseKeyed(Candidate.parser(), Topics.CANDIDATES, record.key(), record.value(),
                Candidate::getGenomeId);
        try (GenomeSpans.Open span = spans.open("train", c.getGenomeId(), c.getExperimentId())) {
            return train(c);
        }
    }

    private Record<String, byte[]> train(Candidate c) {
        LOG.debugf("training %s on %s (experiment %s): %s", c.getGenomeId(), c.getDataset(), c.getExperimentId(),
                c.getCanonical());
        TrainingListener listener = new TrainingListener() {
            @Override
            public void epochEnd(int epoch, int epochs, double loss, double trainAcc, double validAcc) {
                LOG.debugf("%s epoch %d/%d loss %.4f train %.4f valid %.4f", c.getGenomeId(), epoch, epochs, loss,
                        trainAcc, validAcc);
                if (!c.getReportProgress()) {
                    return;
                }
                progress.send(Record.of(c.getGenomeId(), TrainingProgress.newBuilder()
                        .setGenomeId(c.getGenomeId()).setExperimentId(c.getExperimentId()).setDataset(c.getDataset())
                        .setEpoch(epoch).setEpochs(epochs).setValidAccuracy(validAcc).setTrainLoss(loss)
                        .setTrainerId(trainerId).setAtMs(System.currentTimeMillis()).build().toByteArray()));
            }

            @Override
            public boolean stopRequested() {
                return stops.requested(c.getGenomeId(), c.getDataset(), c.getExperimentId());
            }
        };
        TrainingResult r = job != null ? job.run(c, listener)
                : simulated.run(c, listener).toBuilder().setDevice(SIMULATED_DEVICE).build();
        stops.forget(c.getGenomeId(), c.getDataset(), c.getExperimentId());
        meters.trained(r);
        if (r.getStatus() == TrainingStatus.TRAINING_STATUS_FAILED) {
            LOG.warnf("%s failed: %s", c.getGenomeId(), r.getFailureReason());
        } else if (job != null) {
            LOG.infof("%s %s: valid accuracy %.4f after %d epochs in %.1f s", c.getGenomeId(),
                    r.getStatus() == TrainingStatus.TRAINING_STATUS_EARLY_STOPPED ? "stopped early" : "trained",
                    r.getMetrics().getValidAccuracy(), r.getMetrics().getEpochsCompleted(), r.getMetrics().getTrainSeconds());
        }
        return Record.of(c.getGenomeId(), r.toByteArray());
    }
}
