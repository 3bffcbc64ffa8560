package dev.mixrule.leaderboard.store;

import dev.mixrule.kernel.messaging.Topics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The results topics are the leaderboard's source of truth ({@link ResultReplay} rebuilds Redis from them), so they
 * keep their records forever: made with {@code retention.ms=-1}, or set to it when they already exist.
 */
public final class ResultTopics {
    public static final List<String> KEPT_FOREVER = List.of(Topics.TRAINING_RESULTS, Topics.EVALUATION_RESULTS);

    private ResultTopics() {}

    public static void keepForever(Properties clientConfig) {
        Map<String, String> forever = Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1");
        try (Admin admin = Admin.create(clientConfig)) {
            for (String topic : KEPT_FOREVER) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()).configs(forever)))
                            .all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create " + topic + ": " + e.getCause().getMessage(), e);
                    }
                    AlterConfigOp op = new AlterConfigOp(new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, "-1"), AlterConfigOp.OpType.SET);
                    admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(op)))
                            .all().get(30, TimeUnit.SECONDS);
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not set retention.ms=-1 on the results topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while configuring the results topics", e);
        }
    }
}
