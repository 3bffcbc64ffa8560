package dev.mixrule.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class IntervalTest {
    @Test
    void fiveSeedsUseStudentsTWithFourDegreesOfFreedom() {
        Interval i = Interval.of(List.of(1.0, 2.0, 3.0, 4.0, 5.0));
        assertEquals(3.0, i.mean(), 1e-12);
        assertEquals(Math.sqrt(2.5), i.sd(), 1e-12);
        assertEquals(2.776 * Math.sqrt(2.5) / Math.sqrt(5), i.halfWidth(), 1e-12);
        assertEquals(3.0 - i.halfWidth(), i.low(), 1e-12);
    }

    @Test
    void oneMeasurementHasNoInterval() {
        assertEquals(Double.NaN, Interval.of(List.of(0.5)).halfWidth());
    }
}
