package dev.mixrule.leaderboard;

import dev.mixrule.kernel.data.FashionMnist;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.LayerSemantics;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.kernel.simulation.SyntheticObjective;
import dev.mixrule.kernel.space.ChainSpace;
import dev.mixrule.kernel.space.Nb201Space;
import dev.mixrule.proto.EpochMetrics;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.LayerAlignment;
import dev.mixrule.proto.ModelCost;
import dev.mixrule.proto.TrainingMetrics;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import dev.mixrule.testkit.KafkaAndRedisResource;
import dev.mixrule.testkit.TestKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The web page end to end: headless Chromium (Debian's chromium, driven by playwright-core from
 * src/test/browser) opens the page, then results go onto the real Kafka topics, and the script checks
 * that they appear without a reload, that the scatter rings a Pareto front, that the best so far of each experiment
 * only rises, and that a click draws the genome in its rules' colours with its learning curve and its layers'
 * alignment angles. Screenshots: target/screenshots/leaderboard.png (and -progress, -training: the two panels).
 */
@QuarkusTest
@QuarkusTestResource(KafkaAndRedisResource.class)
class LeaderboardPageTest {
    static final Path BROWSER_DIR = Path.of("src/test/browser");
    static final Path SCREENSHOT = Path.of("target/screenshots/leaderboard.png");
    static final String DATASET = "fashion-mnist";

    @TestHTTPResource("/")
    URL root;

    @Test
    void entriesAppearLiveWithTheirFrontAndGenomes() throws Exception {
        requireBrowser();
        List<Genome> genomes = genomes();
        String nb201Id = GenomeCodec.id(genomes.get(genomes.size() - 1));
        Files.createDirectories(SCREENSHOT.getParent());
        Process node = new ProcessBuilder("node", "browser-test.mjs", root + "?dataset=" + DATASET,
                SCREENSHOT.toAbsolutePath().toString(), String.valueOf(genomes.size()), nb201Id, String.valueOf(EPOCHS))
                .directory(BROWSER_DIR.toFile()).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        CountDownLatch loaded = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.out.println("[browser] " + line);
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.equals("LOADED")) {
                        loaded.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "browser-output");
        reader.start();
        try {
            if (!loaded.await(90, TimeUnit.SECONDS)) {
                fail("the page did not load and go live within 90 s:\n" + output);
            }
            publish(genomes);
            if (!node.waitFor(300, TimeUnit.SECONDS)) {
                fail("the browser checks did not finish within 300 s:\n" + output);
            }
            reader.join(5000);
            assertEquals(0, node.exitValue(), "browser checks failed:\n" + output);
            assertTrue(Files.size(SCREENSHOT) > 10_000, "screenshot " + SCREENSHOT + " is missing or empty");
        } finally {
            node.destroyForcibly();
        }
    }

    /** Chain genomes of every rule and two experiments' worth, then one NB-201 cell (last). */
    static List<Genome> genomes() {
        Random random = new Random(7);
        ChainSpace chain = new ChainSpace(FashionMnist.SHAPE, List.of(Rule.values()));
        Set<Genome> out = new LinkedHashSet<>();
        while (out.size() < 23) {
            out.add(chain.sample(random));
        }
        out.add(new Nb201Space(FashionMnist.SHAPE, List.of(Rule.BP, Rule.FA, Rule.USF, Rule.DFA), 1, 8).sample(random));
        return new ArrayList<>(out);
    }

    static ProducerRecord<String, byte[]> signed(String topic, String id, byte[] value) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, id, value);
        Signed.headers(topic, id, value).forEach((name, bytes) -> r.headers().add(name, bytes));
        return r;
    }

    /** A training result, an accuracy and a robustness evaluation per genome, scored by the synthetic objective. */
    static void publish(List<Genome> genomes) {
        SyntheticObjective objective = new SyntheticObjective(FashionMnist.SHAPE);
        Properties p = TestKafka.client("admin");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < genomes.size(); i++) {
                Genome g = genomes.get(i);
                String id = GenomeCodec.id(g);
                String experiment = i % 3 == 0 ? "random-1" : "evolution-1";
                GenomePlan plan = GenomePlan.of(g, FashionMnist.SHAPE);
                ModelCost.Builder cost = ModelCost.newBuilder().setParameters(plan.parameters()).setMacs(plan.macs())
                        .setBpFraction(plan.bpFraction());
                plan.ruleFractions().forEach((rule, share) -> cost.putRuleFractions(rule.shortName(), share));
                Map<String, Double> score = objective.score(g);
                double accuracy = score.get("accuracy");
                double robust = score.get("robust_accuracy");
                // one search of 24 minutes: each experiment's candidates finish a minute apart
                TrainingResult t = TrainingResult.newBuilder().setGenomeId(id).setGenome(plan.genome()).setCanonical(GenomeCodec.toCanonical(g))
                        .setDataset(DATASET).setExperimentId(experiment).setStatus(TrainingStatus.TRAINING_STATUS_SUCCEEDED)
                        .setCheckpointUri("file:///tmp/" + id).setCost(cost).setProposedAtMs(START_MS)
                        .setFinishedAtMs(START_MS + 60_000L * (i + 1))
                        .setMetrics(training(plan, accuracy - 0.004).setTrainSeconds(40 + i))
                        .build();
                EvaluationResult acc = EvaluationResult.newBuilder().setGenomeId(id).setDataset(DATASET).setExperimentId(experiment)
                        .setEvaluator(EvaluatorId.newBuilder().setName("accuracy").setVersion("1"))
                        .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).putMetrics("test_accuracy", accuracy)
                        .setExamples(10000).build();
                EvaluationResult rob = EvaluationResult.newBuilder().setGenomeId(id).setDataset(DATASET).setExperimentId(experiment)
                        .setEvaluator(EvaluatorId.newBuilder().setName("robustness").setVersion("1"))
                        .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).putMetrics("clean_accuracy", accuracy)
                        .putMetrics("fgsm_accuracy", robust + 0.05).putMetrics("pgd_accuracy", robust + 0.01)
                        .putMetrics("apgd_accuracy", robust).putMetrics("valid_apgd_accuracy", robust + 0.003).setExamples(500).setUnreliable(i == 5)
                        .build();
                producer.send(signed(Topics.TRAINING_RESULTS, id, t.toByteArray()));
                producer.send(signed(Topics.EVALUATION_RESULTS, id, acc.toByteArray()));
                producer.send(signed(Topics.EVALUATION_RESULTS, id, rob.toByteArray()));
            }
            producer.flush();
        }
    }

    static final long START_MS = 1_700_000_000_000L;
    static final int EPOCHS = 6;

    /**
     * Metrics of a run of {@link #EPOCHS} epochs that ends at validAccuracy: the learning curve rises towards it, and
     * every weight layer has an angle per epoch (0 where its update is exact, none for hebbian, else an angle that
     * shrinks as feedback aligns, larger the further the rule is from backprop).
     */
    static TrainingMetrics.Builder training(GenomePlan plan, double validAccuracy) {
        TrainingMetrics.Builder m = TrainingMetrics.newBuilder().setValidAccuracy(validAccuracy).setEpochsCompleted(EPOCHS);
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
            double rise = 1 - Math.pow(0.45, epoch);
            m.addEpochs(EpochMetrics.newBuilder().setEpoch(epoch).setValidAccuracy(0.1 + (validAccuracy - 0.1) * rise)
                    .setTrainAccuracy(Math.min(1, 0.1 + (validAccuracy + 0.02 - 0.1) * rise)).setTrainLoss(2.3 * Math.pow(0.62, epoch) + 0.25));
        }
        Map<String, Double> distance = Map.of("usf", 18.0, "frsf", 28.0, "brsf", 34.0, "fa", 62.0, "dfa", 74.0);
        List<LayerSemantics> layers = plan.layerSemantics();
        for (int i = 0; i < layers.size(); i++) {
            LayerSemantics l = layers.get(i);
            // a layer below a hebbian one receives no error: 90 degrees, whatever its rule
            boolean noError = layers.subList(i + 1, layers.size()).stream().anyMatch(above -> above.rule() == Rule.HEBBIAN);
            LayerAlignment.Builder a = LayerAlignment.newBuilder().setLayer(l.name()).setRule(l.rule().shortName())
                    .setParameters(l.parameters()).setExactGradient(l.exactGradient());
            for (int epoch = 1; epoch <= EPOCHS && l.rule() != Rule.HEBBIAN; epoch++) {
                double start = l.exactGradient() ? 0 : distance.getOrDefault(l.rule().shortName(), 45.0) + 20;
                a.addAngleDegrees(noError ? 90 : start * (0.55 + 0.45 * Math.pow(0.7, epoch - 1)));
            }
            m.addLayerAlignment(a);
        }
        return m;
    }

    /** Fails, naming the command that installs what is missing: CI installs all of it (.ci/test). */
    static void requireBrowser() throws Exception {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        if (!Files.isExecutable(Path.of(chromium))) {
            fail("Chromium is missing at " + chromium + ": install it with `apt-get install -y chromium` (as root; .ci/test does)"
                    + " or point CHROMIUM at a Chromium binary");
        }
        if (run(BROWSER_DIR, "node", "--version") != 0) {
            fail("Node.js is missing: install it with `apt-get install -y nodejs npm` (as root; .ci/test does)");
        }
        if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core"))) {
            if (run(BROWSER_DIR, "npm", "ci", "--no-audit", "--no-fund") != 0) {
                fail("playwright-core is missing and `npm ci` failed: run `npm ci --prefix leaderboard-service/src/test/browser`"
                        + " (.ci/test does)");
            }
        }
    }

    static int run(Path dir, String... command) throws InterruptedException {
        try {
            // not inheritIO: node made the shared stdin non-blocking, which broke surefire's command channel
            // ("std/in stream corrupted", the fork reported as failed although every test passed)
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            return p.waitFor(300, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
