package dev.mixrule.testkit;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker (KRaft, combined broker and controller) inside the test JVM, started once
 * per JVM and stopped at exit.
 */
public final class TestKafka {
    private static KafkaClusterTestKit cluster;

    private TestKafka() {}

    public static synchronized String bootstrapServers() {
        if (cluster == null) {
            try {
                KafkaClusterTestKit c = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("num.partitions", "2")
                        .setConfigProp("auto.create.topics.enable", "true")
                        .build();
                c.format();
                c.startup();
                c.waitForReadyBrokers();
                cluster = c;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // the JVM is going away
                    }
                }, "test-kafka-stop"));
            } catch (Exception e) {
                throw new IllegalStateException("could not start the test Kafka broker: " + e.getMessage(), e);
            }
        }
        return cluster.bootstrapServers();
    }
}
