package dev.mixrule.testkit;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker (KRaft, combined broker and controller) inside the test JVM, started once
 * per JVM; it dies with the JVM, its log directories under target/ (gone with mvn clean).
 */
public final class TestKafka {
    private static KafkaClusterTestKit cluster;

    private TestKafka() {}

    public static synchronized String bootstrapServers() {
        if (cluster == null) {
            try {
                java.nio.file.Path base = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"))
                        .resolve("kafka-test-" + ProcessHandle.current().pid());
                KafkaClusterTestKit c = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                        .setBaseDirectory(java.nio.file.Files.createDirectories(base)).build())
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
                // No close at JVM exit: closing the broker from a shutdown hook raced Quarkus' own shutdown and
                // twice ended a test JVM abnormally after its tests passed. Its files live under target/.
            } catch (Exception e) {
                throw new IllegalStateException("could not start the test Kafka broker: " + e.getMessage(), e);
            }
        }
        return cluster.bootstrapServers();
    }
}
