package dev.stratus.core.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.profile.LatencyFit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LatencyFitterTest {

    static List<LatencyFitter.Point> points(IntToDoubleFunction l, int... batches) {
        List<LatencyFitter.Point> out = new ArrayList<>();
        for (int b : batches) {
            out.add(new LatencyFitter.Point(b, l.applyAsDouble(b)));
        }
        return out;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // name, points, expected kind, max error allowed, latency at 3 expected (±2 %)
                Arguments.of("exact line", points(b -> 2.0 * b + 1.0, 1, 2, 4, 8, 16), "linear", 1e-9, 7.0),
                Arguments.of("line within 5 % kept linear", points(b -> (2.0 * b + 1.0) * (b % 2 == 0 ? 1.03 : 0.97),
                        1, 2, 4, 8, 16), "linear", 0.06, 7.0),
                Arguments.of("convex curve fits quadratic", points(b -> 1.0 + 0.5 * b + 0.25 * b * b, 1, 2, 4, 8, 16),
                        "quadratic", 1e-9, 4.75),
                Arguments.of("two points: a line through both", points(b -> 3.0 * b + 2.0, 1, 4), "linear", 1e-9, 11.0),
                Arguments.of("one point: constant", points(b -> 5.0, 1), "linear", 1e-9, 5.0),
                // A concave curve that a quadratic would bend downward beyond 16: keep the line.
                Arguments.of("bending down stays linear", points(b -> 10.0 + 8.0 * b - 0.3 * b * b, 1, 2, 4, 8, 12),
                        "linear", 0.5, Double.NaN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fits(String name, List<LatencyFitter.Point> points, String kind, double maxError, double at3) {
        LatencyFit fit = LatencyFitter.fit(points);
        assertEquals(kind, fit.kind(), name);
        assertTrue(fit.maxRelativeError() <= maxError, name + ": max error " + fit.maxRelativeError());
        assertTrue(fit.meanRelativeError() <= fit.maxRelativeError() + 1e-12, name);
        if (!Double.isNaN(at3)) {
            assertEquals(at3, fit.latencyMs(3), at3 * 0.02, name);
        }
    }

    @Test
    void reportsTheErrorAgainstTheMeasurements() {
        // The line through (1,1) and (2,2) and (3,4) by relative least squares: its worst point is off by > 10 %.
        LatencyFit fit = LatencyFitter.linear(List.of(new LatencyFitter.Point(1, 1), new LatencyFitter.Point(2, 2),
                new LatencyFitter.Point(3, 4)));
        double worst = 0;
        for (double[] p : new double[][] {{1, 1}, {2, 2}, {3, 4}}) {
            worst = Math.max(worst, Math.abs(fit.latencyMs(p[0]) - p[1]) / p[1]);
        }
        assertEquals(worst, fit.maxRelativeError(), 1e-12);
        assertTrue(worst > 0.1);
    }

    @Test
    void refusesNoPoints() {
        assertThrows(IllegalArgumentException.class, () -> LatencyFitter.fit(List.of()));
    }
}
