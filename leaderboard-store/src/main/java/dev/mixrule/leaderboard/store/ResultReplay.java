package dev.mixrule.leaderboard.store;

import dev.mixrule.kernel.messaging.MalformedRecordException;
import dev.mixrule.kernel.messaging.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Rebuilds the leaderboard from the results topics (kept forever, retention.ms=-1): a fresh consumer with no
 * group reads every partition from the beginning up to the end offsets seen at the start, training results first
 * (so no evaluation needs to wait for its training), then evaluations, each through the same
 * {@link ResultAdmission} as the live consumer. Refused records are counted and reported, not dead-lettered again.
 */
public final class ResultReplay {
    /** What a replay did: records read, applied (changed an entry), refused, and the first refusals' reasons. */
    public record Summary(long read, long applied, long refused, List<String> reasons) {}

    private static final int REASONS_KEPT = 20;

    private ResultReplay() {}

    /** Replays both results topics; {@code clientConfig} adds the broker address and any security settings. */
    public static Summary replay(Properties clientConfig, ResultAdmission admission, Duration timeout, Consumer<String> progress) {
        Properties p = new Properties();
        p.putAll(clientConfig);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        long[] counts = new long[3];
        List<String> reasons = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            replayTopic(consumer, Topics.TRAINING_RESULTS, admission::training, counts, reasons, deadline);
            progress.accept(Topics.TRAINING_RESULTS + ": " + counts[0] + " records read");
            replayTopic(consumer, Topics.EVALUATION_RESULTS, admission::evaluation, counts, reasons, deadline);
            progress.accept(Topics.EVALUATION_RESULTS + ": " + counts[0] + " records read in all");
        }
        return new Summary(counts[0], counts[1], counts[2], List.copyOf(reasons));
    }

    private static void replayTopic(KafkaConsumer<String, byte[]> consumer, String topic,
                                    Function<ConsumerRecord<String, byte[]>, ResultAdmission.Outcome> apply,
                                    long[] counts, List<String> reasons, long deadline) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (!reachedEnd(consumer, end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("replay of " + topic + " did not reach the end offsets " + end + " in time");
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                    continue; // written after the replay started: the live consumer applies it
                }
                counts[0]++;
                try {
                    if (apply.apply(r) == ResultAdmission.Outcome.APPLIED) {
                        counts[1]++;
                    }
                } catch (MalformedRecordException e) {
                    counts[2]++;
                    if (reasons.size() < REASONS_KEPT) {
                        reasons.add(e.getMessage());
                    }
                }
            }
        }
    }

    private static boolean reachedEnd(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
