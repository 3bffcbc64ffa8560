package dev.mixrule.leaderboard;

import dev.mixrule.kernel.search.SelectionMetrics;
import dev.mixrule.leaderboard.store.MetricSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every ranking and front the leaderboard shows unasked is over metrics that may select: never the test split. */
class SelectionDefaultsTest {
    @Test
    void topStatsAndTheWebApiRankByAValidationMetric() {
        assertTrue(SelectionMetrics.selectable(LeaderboardGrpcService.DEFAULT_METRIC), LeaderboardGrpcService.DEFAULT_METRIC);
    }

    @Test
    void theDefaultParetoSetsAreValidationMetrics() throws IOException {
        assertEquals(MetricSet.parse(SelectionMetrics.DEFAULT_PARETO).key(), MetricSet.DEFAULT.key());
        assertSelectable(MetricSet.DEFAULT);
        Properties config = new Properties();
        try (InputStream in = resource("application.properties")) {
            config.load(in);
        }
        String sets = config.getProperty("mixrule.leaderboard.pareto-sets");
        assertFalse(sets == null || sets.isBlank(), "mixrule.leaderboard.pareto-sets has a default");
        for (String s : sets.split(";")) {
            assertSelectable(MetricSet.parse(s));
        }
    }

    @Test
    void theWebPageSortsAndPlotsValidationMetricsByDefault() throws IOException {
        String js;
        try (InputStream in = resource("META-INF/resources/app.js")) {
            js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher accuracy = Pattern.compile("const ACCURACY = '([^']+)'").matcher(js);
        assertTrue(accuracy.find(), "app.js names its default ranking and scatter metric in const ACCURACY");
        assertTrue(SelectionMetrics.selectable(accuracy.group(1)), accuracy.group(1));
        Matcher robust = Pattern.compile("const ROBUST_PREFERENCE = \\[([^\\]]+)\\]").matcher(js);
        assertTrue(robust.find(), "app.js lists its default robust metrics in const ROBUST_PREFERENCE");
        List<String> names = new ArrayList<>();
        Matcher name = Pattern.compile("'([^']+)'").matcher(robust.group(1));
        while (name.find()) {
            names.add(name.group(1));
        }
        assertFalse(names.isEmpty());
        names.forEach(n -> assertTrue(SelectionMetrics.selectable(n), "the scatter's default robust metric " + n));
    }

    static void assertSelectable(MetricSet set) {
        set.objectives().forEach(o -> assertTrue(SelectionMetrics.selectable(o.metric()), set.key() + ": " + o.metric()));
    }

    static InputStream resource(String name) {
        InputStream in = SelectionDefaultsTest.class.getClassLoader().getResourceAsStream(name);
        assertTrue(in != null, name + " is on the class path");
        return in;
    }
}
