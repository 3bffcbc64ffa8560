package dev.mixrule.leaderboard;

import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.Genome;
import dev.mixrule.testkit.KafkaAndRedisResource;
import dev.mixrule.testkit.TestKafka;
import dev.mixrule.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@QuarkusTestResource(KafkaAndRedisResource.class)
class LeaderboardWebApiTest {

    @Test
    void entriesComeBestFirstInSnakeCaseWithGenomeAndShapes() {
        String ds = "cifar10"; // a dataset the core knows, so the entry has layer shapes
        Genome g = publish(ds, "web-api", 12, "fa", 0.81, 0.2);
        awaitEntries(ds, 1);
        String id = GenomeCodec.id(g);
        given().queryParam("dataset", ds).queryParam("experiment", "web-api").get("/api/entries").then().statusCode(200)
                .body("metric", equalTo("valid_accuracy")) // the default ranking chooses by validation accuracy
                .body("metrics", hasItem("apgd_accuracy"))
                .body("entries[0].genome_id", equalTo(id))
                .body("entries[0].experiment_id", equalTo("web-api"))
                .body("entries[0].rules", equalTo(List.of("bp", "fa")))
                .body("entries[0].metrics.test_accuracy", equalTo(0.81f))
                .body("entries[0].genome.layers[0].rule", equalTo("fa"))
                // CIFAR-10 is 3x32x32; conv3x3 p1 keeps 32x32; the pool halves it; the classifier has 10 outputs
                .body("entries[0].shapes", equalTo(List.of(List.of(3, 32, 32), List.of(12, 32, 32), List.of(12, 16, 16), List.of(10, 1, 1))));
        given().get("/api/datasets").then().statusCode(200).body("$", hasItem(ds));
    }

    @Test
    void paretoFrontKeepsWhatNothingBeatsInBothMetrics() {
        String ds = "web-pareto-test";
        Genome a = publish(ds, "e", 8, "fa", 0.90, 0.10);
        Genome b = publish(ds, "e", 16, "fa", 0.80, 0.30);
        publish(ds, "e", 32, "fa", 0.70, 0.20); // beaten by b in both
        publish(ds, "e", 64, "fa", 0.90, 0.05); // as accurate as a, less robust
        Genome twin = publish(ds, "e", 128, "fa", 0.80, 0.30); // ties with b: neither dominates the other
        awaitEntries(ds, 5);
        given().queryParam("dataset", ds).queryParam("x", "test_accuracy").queryParam("y", "apgd_accuracy")
                .get("/api/pareto").then().statusCode(200)
                .body("scanned", equalTo(5))
                .body("front.genome_id", containsInAnyOrder(GenomeCodec.id(a), GenomeCodec.id(b), GenomeCodec.id(twin)))
                .body("front[0].genome_id", equalTo(GenomeCodec.id(a)));
    }

    @Test
    void progressGivesEachExperimentsBestValidationAccuracySoFarAndRefusesATestMetric() {
        String ds = "web-progress-test";
        publish(ds, "p1", 8, "fa", 0.60, 0.10);
        publish(ds, "p1", 16, "fa", 0.50, 0.10);
        publish(ds, "p2", 32, "fa", 0.70, 0.10);
        awaitEntries(ds, 3);
        ValidatableResponse r = given().queryParam("dataset", ds).get("/api/progress").then().statusCode(200)
                .body("metric", equalTo("valid_accuracy"))
                .body("scanned", equalTo(3))
                .body("experiments.experiment_id", equalTo(List.of("p1", "p2")))
                .body("experiments[0].entries", equalTo(2))
                .body("experiments[1].steps.size()", equalTo(1))
                .body("experiments[1].steps[0].genome_id", equalTo(GenomeCodec.id(LeaderboardServiceTest.genome(32, "fa"))));
        List<Float> p1 = r.extract().jsonPath().getList("experiments[0].steps.best", Float.class);
        for (int i = 1; i < p1.size(); i++) {
            org.junit.jupiter.api.Assertions.assertTrue(p1.get(i) > p1.get(i - 1), "best so far only rises: " + p1);
        }
        given().queryParam("dataset", ds).queryParam("experiment", "p2").get("/api/progress").then().statusCode(200)
                .body("experiments.experiment_id", equalTo(List.of("p2")));
        bad(given().queryParam("dataset", ds).queryParam("metric", "test_accuracy").get("/api/progress"),
                "metric: 'test_accuracy' is measured on the test split");
    }

    @Test
    void badQueryParametersGet400WithAMessage() {
        bad(given().get("/api/entries"), "dataset is required");
        bad(given().queryParam("dataset", "Not A Name").get("/api/entries"), "dataset is required and must match");
        bad(given().queryParam("dataset", "x").queryParam("limit", "lots").get("/api/entries"), "limit must be an integer in 1..5000");
        bad(given().queryParam("dataset", "x").queryParam("limit", "0").get("/api/entries"), "limit must be");
        bad(given().queryParam("dataset", "x").queryParam("experiment", "a b").get("/api/entries"), "experiment is required and must match");
        bad(given().queryParam("dataset", "x").get("/api/pareto"), "y is required");
        bad(given().queryParam("dataset", "x;drop").get("/api/watch"), "dataset");
        publish("web-metric-test", "e", 8, "bp", 0.5, 0.1);
        awaitEntries("web-metric-test", 1);
        bad(given().queryParam("dataset", "web-metric-test").queryParam("metric", "no_such_metric").get("/api/entries"),
                "unknown metric 'no_such_metric' for dataset web-metric-test; known: apgd_accuracy");
    }

    static void bad(io.restassured.response.Response r, String message) {
        ValidatableResponse v = r.then().statusCode(400).contentType("application/json");
        v.body("message", containsString(message));
    }

    /** A trained chain genome with a test accuracy and an APGD robust accuracy. */
    static Genome publish(String dataset, String experiment, int width, String rule, double accuracy, double robust) {
        Genome g = LeaderboardServiceTest.genome(width, rule);
        LeaderboardServiceTest.publishTraining(dataset, experiment, g, accuracy);
        String id = GenomeCodec.id(g);
        EvaluationResult e = EvaluationResult.newBuilder().setGenomeId(id).setDataset(dataset).setExperimentId(experiment)
                .setEvaluator(EvaluatorId.newBuilder().setName("web-test").setVersion("1"))
                .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED)
                .putMetrics("test_accuracy", accuracy).putMetrics("apgd_accuracy", robust).build();
        Signed.send(Topics.EVALUATION_RESULTS, id, e.toByteArray());
        return g;
    }

    /** Waits until n entries of the dataset have both their training and their evaluation. */
    static void awaitEntries(String dataset, int n) {
        for (int i = 0; i < 300 && (count(dataset, "valid_accuracy") < n || count(dataset, "apgd_accuracy") < n); i++) {
            LeaderboardServiceTest.sleep(100);
        }
        given().queryParam("dataset", dataset).queryParam("metric", "apgd_accuracy").get("/api/entries").then()
                .statusCode(200).body("entries.size()", equalTo(n));
    }

    static int count(String dataset, String metric) {
        List<?> entries = given().queryParam("dataset", dataset).queryParam("metric", metric).get("/api/entries")
                .then().extract().jsonPath().getList("entries");
        return entries == null ? 0 : entries.size();
    }
}
